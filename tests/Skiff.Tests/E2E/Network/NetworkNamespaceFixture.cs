using System.Diagnostics;
using System.Globalization;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// A user + network namespace owned by an unprivileged user (`unshare -Urn sleep`), standing in for a
/// container until containers run, plus helpers to run programs inside it as that user.
/// </summary>
internal sealed class NetworkNamespaceFixture : IDisposable
{
    private readonly Process _runuser;
    private readonly List<Process> _inside = [];

    public NetworkNamespaceFixture(string user)
    {
        User = user;
        var info = new ProcessStartInfo("runuser") { UseShellExecute = false };
        foreach (string a in new[] { "-u", user, "--", "unshare", "-Urn", "sleep", "600" })
        {
            info.ArgumentList.Add(a);
        }

        _runuser = Process.Start(info)!;
        Pid = FindChild(_runuser.Id);
    }

    public string User { get; }

    /// <summary>The sleep holding the namespaces (unshare execs it in place).</summary>
    public int Pid { get; }

    public ProcessStartInfo Inside(params string[] command)
    {
        var info = new ProcessStartInfo("runuser") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-u", User, "--", "nsenter", "-t", Pid.ToString(CultureInfo.InvariantCulture), "-U", "-n", "--preserve-credentials" }.Concat(command))
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    public (int ExitCode, string Output, string Error) RunInside(params string[] command)
    {
        using Process process = Process.Start(Inside(command))!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(30_000), $"{string.Join(' ', command)} did not finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public void StartInside(params string[] command) => _inside.Add(Process.Start(Inside(command))!);

    public void Dispose()
    {
        foreach (Process process in _inside.Append(_runuser))
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }
    }

    private static int FindChild(int parent)
    {
        for (int attempt = 0; attempt < 500; attempt++)
        {
            string path = $"/proc/{parent}/task/{parent}/children";
            string text = File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;
            if (text.Length > 0)
            {
                int child = int.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
                // Wait until unshare has exec'd sleep: only then is the process inside the new namespaces.
                if (File.ReadAllText($"/proc/{child}/comm").Trim() == "sleep")
                {
                    return child;
                }
            }

            Thread.Sleep(10);
        }

        throw new InvalidOperationException("unshare did not start");
    }
}
