using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Skiff.Cli.Commands.Oci;

/// <summary>
/// The global flags of the runc/crun command line that engines pass before the verb (conmon and podman
/// pass <c>--root</c>, <c>--log</c>, <c>--log-format</c>, <c>--systemd-cgroup</c>). <c>--root</c> is skiff's
/// own global flag, read as the state root here.
/// </summary>
public sealed class OciOptions
{
    public Option<string?> Log { get; } = new("--log") { Description = "Also write errors to this file", Recursive = true };

    public Option<string> LogFormat { get; } = new("--log-format") { Description = "Format of --log: text or json", Recursive = true, DefaultValueFactory = _ => "text" };

    public Option<bool> SystemdCgroup { get; } = new("--systemd-cgroup") { Description = "linux.cgroupsPath is SLICE:PREFIX:NAME: systemd creates the scope PREFIX-NAME.scope (as runc)", Recursive = true };

    public Option<bool> Debug { get; } = new("--debug") { Description = "Accepted for runc compatibility", Recursive = true };

    public Option<string?> RootlessMode { get; } = new("--rootless") { Description = "Accepted for runc compatibility (true, false, auto)", Recursive = true };

    public void AddTo(Command command)
    {
        LogFormat.AcceptOnlyFromAmong("text", "json");
        command.Options.Add(Log);
        command.Options.Add(LogFormat);
        command.Options.Add(SystemdCgroup);
        command.Options.Add(Debug);
        command.Options.Add(RootlessMode);
    }

    /// <summary>Runs a verb; an error is also appended to --log (one JSON object per line with --log-format json, as runc writes it) before it propagates.</summary>
    public async Task<int> RunAsync(ParseResult parseResult, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (parseResult.GetValue(Log) is { Length: > 0 } log)
        {
            TryAppend(log, parseResult.GetValue(LogFormat) == "json", e.Message);
            throw;
        }
    }

    public Task<int> RunAsync(ParseResult parseResult, Func<int> action) => RunAsync(parseResult, () => Task.FromResult(action()));

    private static void TryAppend(string log, bool json, string message)
    {
        string time = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffK", CultureInfo.InvariantCulture);
        string line;
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("level", "error");
                writer.WriteString("msg", message);
                writer.WriteString("time", time);
                writer.WriteEndObject();
            }

            line = Encoding.UTF8.GetString(buffer.ToArray());
        }
        else
        {
            line = $"time=\"{time}\" level=error msg=\"{message.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        }

        try
        {
            File.AppendAllText(log, line + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The error itself still reaches stderr; a log we cannot write must not replace it.
        }
    }
}
