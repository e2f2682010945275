using System.Diagnostics;

namespace Skiff.Tests.Unit.Cgroups;

/// <summary>
/// A private dbus-daemon on a socket in a temporary directory: the real bus daemon with its real SASL
/// and routing, standing in for the user's session bus that this machine (no systemd) does not have.
/// </summary>
internal sealed class PrivateDbusDaemon : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private PrivateDbusDaemon(Process process, string directory, string address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    /// <summary>The address the daemon printed, "unix:path=…,guid=…".</summary>
    public string Address { get; }

    public static PrivateDbusDaemon Start()
    {
        string directory = Directory.CreateTempSubdirectory("skiff-dbus-").FullName;
        var start = new ProcessStartInfo("/usr/bin/dbus-daemon")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--session", "--nofork", "--print-address", "--address=unix:path=" + Path.Combine(directory, "bus") })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("dbus-daemon did not start");
        // The daemon prints its address once it listens; stderr only carries its fd-limit complaint.
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        string? address = process.StandardOutput.ReadLine();
        if (string.IsNullOrEmpty(address))
        {
            process.Kill();
            throw new InvalidOperationException("dbus-daemon printed no address (is the dbus-daemon package installed?)");
        }

        return new PrivateDbusDaemon(process, directory, address);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
