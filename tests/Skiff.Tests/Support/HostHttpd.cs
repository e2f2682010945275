using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Skiff.Tests.Support;

/// <summary>busybox httpd serving a directory on the host (all addresses), stopped on dispose.</summary>
public sealed class HostHttpd : IDisposable
{
    private readonly Process process;

    private HostHttpd(Process process) => this.process = process;

    /// <summary>Starts the server and waits (up to 5 s) until it accepts on 127.0.0.1:<paramref name="port"/>.</summary>
    public static HostHttpd Start(int port, string directory)
    {
        var info = new ProcessStartInfo(TestImages.BusyboxPath) { UseShellExecute = false };
        foreach (string a in new[] { "httpd", "-f", "-p", port.ToString(CultureInfo.InvariantCulture), "-h", directory })
        {
            info.ArgumentList.Add(a);
        }

        Process process = Process.Start(info)!;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return new HostHttpd(process);
    }

    public void Dispose()
    {
        process.Kill();
        process.WaitForExit(5000);
        process.Dispose();
    }
}
