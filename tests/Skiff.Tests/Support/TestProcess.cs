using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace Skiff.Tests.Support;

/// <summary>
/// Runs a program for a test: with a timeout that kills it and fails the test, optionally as another
/// user, logging command line, output and exit code to the test output (Podman's run_podman idea).
/// </summary>
public static class TestProcess
{
    private const int MaxLoggedChars = 64 * 1024;

    /// <summary>How long a program's stdout/stderr may stay open after it exited (a leaked pipe is a bug).</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(10);

    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, ITestOutputHelper? log)
    {
        (string program, List<string> arguments) = WrapForUser(spec);
        string commandLine = FormatCommandLine(spec);
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? "/",
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (spec.Environment is not null && (spec.User is null || spec.User.RunsAsSelf))
        {
            startInfo.Environment.Clear();
            foreach ((string key, string value) in spec.Environment)
            {
                startInfo.Environment[key] = value;
            }
        }

        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"cannot start {program}: {e.Message}\n$ {commandLine}");
        }

        Task<byte[]> stdout = ReadAllAsync(process.StandardOutput.BaseStream);
        Task<byte[]> stderr = ReadAllAsync(process.StandardError.BaseStream);
        await WriteStdinAsync(process, spec.StandardInput);

        using (var timeout = new CancellationTokenSource(spec.Timeout))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                string partialOut = await TextWithinAsync(stdout, TimeSpan.FromSeconds(2));
                string partialErr = await TextWithinAsync(stderr, TimeSpan.FromSeconds(2));
                string message = $"timed out after {spec.Timeout.TotalSeconds:0.#} s and was killed\n$ {commandLine}\n--- stdout so far ---\n{partialOut}\n--- stderr so far ---\n{partialErr}";
                log?.WriteLine(Truncate(message));
                Assert.Fail(message);
            }
        }

        int exitCode = process.ExitCode;
        Task both = Task.WhenAll(stdout, stderr);
        if (await Task.WhenAny(both, Task.Delay(OutputGrace)) != both)
        {
            string message = $"exited with {exitCode} but its stdout/stderr stayed open for {OutputGrace.TotalSeconds:0} s: a process it started inherited the pipe\n$ {commandLine}";
            log?.WriteLine(message);
            Assert.Fail(message);
        }

        var result = new ProcessResult(commandLine, exitCode, Decode(await stdout), Decode(await stderr));
        log?.WriteLine(Truncate($"{result}\n[{stopwatch.ElapsedMilliseconds} ms]"));
        return result;
    }

    public static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static (string Program, List<string> Arguments) WrapForUser(ProcessSpec spec)
    {
        if (spec.User is null || spec.User.RunsAsSelf)
        {
            return (spec.Program, spec.Arguments.ToList());
        }

        // runuser keeps most of root's environment; env -i gives the program exactly the one we chose.
        var arguments = new List<string> { "-u", spec.User.Name, "--", "/usr/bin/env", "-i" };
        IReadOnlyDictionary<string, string> environment = spec.Environment ?? new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        };
        arguments.AddRange(environment.Select(pair => $"{pair.Key}={pair.Value}"));
        arguments.Add(spec.Program);
        arguments.AddRange(spec.Arguments);
        return ("/usr/sbin/runuser", arguments);
    }

    private static string FormatCommandLine(ProcessSpec spec)
    {
        var text = new StringBuilder();
        if (spec.User is not null)
        {
            text.Append('[').Append(spec.User.Name).Append("] ");
        }

        text.Append(string.Join(' ', spec.Arguments.Prepend(spec.Program).Select(Quote)));
        return text.ToString();
    }

    private static async Task WriteStdinAsync(Process process, byte[]? input)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(input);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited or closed stdin without reading all of it; its exit code tells the story.
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static async Task<string> TextWithinAsync(Task<byte[]> reader, TimeSpan wait) =>
        await Task.WhenAny(reader, Task.Delay(wait)) == reader ? Decode(await reader) : "(still open)";

    private static string Decode(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static string Truncate(string text) =>
        text.Length <= MaxLoggedChars ? text : text[..MaxLoggedChars] + $"\n... ({text.Length - MaxLoggedChars} more characters)";
}
