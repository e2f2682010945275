using System.Diagnostics;
using System.Text;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network;

/// <summary>
/// A long-lived helper program (slirp4netns) started with an argv list; its stderr is collected so a
/// failure can be reported, and disposing it stops the program.
/// </summary>
public sealed class HelperProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private HelperProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.HasExited ? _process.ExitCode : -1;

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static HelperProcess Start(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var helper = new HelperProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (helper._stderr)
                {
                    helper._stderr.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += (_, _) => { };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw SkiffException.PrerequisiteMissing($"cannot run {program}: {e.Message}", $"install {Path.GetFileName(program)} (Debian: apt-get install {Path.GetFileName(program)})");
        }

        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return helper;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
