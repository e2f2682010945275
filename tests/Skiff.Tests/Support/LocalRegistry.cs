using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Skiff.Tests.Support;

/// <summary>
/// Debian's distribution registry (/usr/bin/docker-registry) on a free 127.0.0.1 port with temporary
/// storage; optionally TLS with a throwaway CA and htpasswd basic auth. Everything it writes lives in
/// one world-readable directory so the rootless test user can read the CA.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    public const string Program = "/usr/bin/docker-registry";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly StringBuilder log;
    private readonly string directory;

    private LocalRegistry(Process process, StringBuilder log, string directory, int port, bool tls, string? username, string? password)
    {
        this.process = process;
        this.log = log;
        this.directory = directory;
        Port = port;
        Tls = tls;
        Username = username;
        Password = password;
    }

    public int Port { get; }

    /// <summary>host:port, the registry part of an image reference.</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public bool Tls { get; }

    public string Url => $"{(Tls ? "https" : "http")}://{Address}";

    /// <summary>Basic-auth user; null when the registry is anonymous.</summary>
    public string? Username { get; }

    public string? Password { get; }

    /// <summary>"user:password", the form of --creds.</summary>
    public string? Credentials => Username is null ? null : $"{Username}:{Password}";

    /// <summary>PEM file of the CA that signed the registry's certificate (TLS only).</summary>
    public string CaFile => Path.Combine(directory, "ca.crt");

    /// <summary>A certs.d-style directory: <c>CertsDirectory/127.0.0.1:PORT/ca.crt</c> (for --cert-dir and certs.d tests).</summary>
    public string CertsDirectory => Path.Combine(directory, "certs.d");

    /// <summary>The registry's blob and manifest storage (to corrupt or inspect content in fault tests).</summary>
    public string StorageDirectory => Path.Combine(directory, "storage");

    /// <summary>Everything the registry logged so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>A reference into this registry: <c>127.0.0.1:PORT/name:tag</c>.</summary>
    public string Reference(string name, string tag = "latest") => $"{Address}/{name}:{tag}";

    public static async Task<LocalRegistry> StartAsync(bool tls = false, bool auth = false)
    {
        if (!File.Exists(Program))
        {
            Assert.Fail($"{Program} is missing; tests/run.sh installs it (apt-get install docker-registry)");
        }

        Directory.CreateDirectory(TestSandbox.BaseDirectory);
        string directory = Path.Combine(TestSandbox.BaseDirectory, $"registry-{Guid.NewGuid():N}"[..21]);
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32("755", 8));
        string? username = auth ? "skiffuser" : null;
        string? password = auth ? "s3cret-" + Guid.NewGuid().ToString("N")[..8] : null;

        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            string config = await WriteConfigAsync(directory, port, tls, username, password);
            var log = new StringBuilder();
            Process process = StartProcess(config, log);
            var registry = new LocalRegistry(process, log, directory, port, tls, username, password);
            try
            {
                await registry.WaitUntilReadyAsync();
                return registry;
            }
            catch (RegistryStartException) when (attempt < 3)
            {
                // Another process took the port between probing and binding; try a new one.
                await registry.StopAsync();
            }
            catch (RegistryStartException e)
            {
                await registry.DisposeAsync();
                Assert.Fail(e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Environment.GetEnvironmentVariable("SKIFF_TEST_KEEP") != "1")
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: leftovers in /tmp are harmless.
            }
        }
    }

    private async Task StopAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var handler = new HttpClientHandler
        {
            // Readiness only: trust is what the tests under test check, not this poll.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new RegistryStartException($"{Program} exited with {process.ExitCode} while starting on {Address}:\n{Log}");
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync($"{Url}/v2/");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow first answer; poll again.
            }

            await Task.Delay(50);
        }

        throw new RegistryStartException($"{Program} did not answer {Url}/v2/ within {StartTimeout.TotalSeconds} s:\n{Log}");
    }

    private static Process StartProcess(string config, StringBuilder log)
    {
        var startInfo = new ProcessStartInfo(Program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("serve");
        startInfo.ArgumentList.Add(config);
        var process = new Process { StartInfo = startInfo };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> WriteConfigAsync(string directory, int port, bool tls, string? username, string? password)
    {
        string address = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        var yaml = new StringBuilder();
        yaml.AppendLine("version: 0.1");
        yaml.AppendLine("log:");
        yaml.AppendLine("  level: info");
        yaml.AppendLine("  accesslog:");
        yaml.AppendLine("    disabled: false");
        yaml.AppendLine("storage:");
        yaml.AppendLine("  filesystem:");
        yaml.AppendLine($"    rootdirectory: {Path.Combine(directory, "storage")}");
        yaml.AppendLine("  delete:");
        yaml.AppendLine("    enabled: true");
        yaml.AppendLine("http:");
        yaml.AppendLine($"  addr: {address}");
        yaml.AppendLine($"  secret: {Guid.NewGuid():N}");
        if (tls)
        {
            await CertificateAuthority.WriteAsync(directory);
            string certsDir = Path.Combine(directory, "certs.d", address);
            Directory.CreateDirectory(certsDir);
            File.Copy(Path.Combine(directory, "ca.crt"), Path.Combine(certsDir, "ca.crt"), overwrite: true);
            foreach (string dir in new[] { Path.Combine(directory, "certs.d"), certsDir })
            {
                File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
            }

            yaml.AppendLine("  tls:");
            yaml.AppendLine($"    certificate: {Path.Combine(directory, "server.crt")}");
            yaml.AppendLine($"    key: {Path.Combine(directory, "server.key")}");
        }

        if (username is not null && password is not null)
        {
            string htpasswd = Path.Combine(directory, "htpasswd");
            ProcessResult hash = await TestProcess.RunAsync(new ProcessSpec("htpasswd", ["-Bbn", username, password]), log: null);
            hash.AssertSuccess();
            await File.WriteAllTextAsync(htpasswd, hash.Stdout);
            yaml.AppendLine("auth:");
            yaml.AppendLine("  htpasswd:");
            yaml.AppendLine("    realm: skiff-test");
            yaml.AppendLine($"    path: {htpasswd}");
        }

        string config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, yaml.ToString());
        return config;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class RegistryStartException(string message) : Exception(message);
}
