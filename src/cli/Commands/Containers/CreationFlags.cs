using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// run/create flags about the creation itself, as scripts use them: <c>--cidfile FILE</c> (the new container's id
/// written to a file that must not exist yet) and podman's <c>--replace</c> (a container of the same --name is
/// stopped and removed first), podman's <c>--timeout</c> (how long the container may run) and <c>--sdnotify</c> (what a
/// systemd Type=notify service hears of the container, see <see cref="SdNotifyModes"/>). The command line itself is
/// recorded too (podman's CreateCommand), for <c>generate systemd --new</c>.
/// </summary>
public sealed class CreationFlags
{
    public Option<string?> CidFile { get; } = new("--cidfile") { Description = "Write the container ID to the file" };

    public Option<bool> Replace { get; } = new("--replace") { Description = "If a container with the same name exists, replace it" };

    public Option<string?> PidFile { get; } = new("--pidfile") { Description = "Write the container process ID to the file (removed with the container)" };

    public Option<string[]> Annotation { get; } = new("--annotation") { Description = "Add an annotation to the container (KEY=VALUE)" };

    public Option<string?> Timeout { get; } = new("--timeout") { Description = "Maximum time (in seconds) a container is allowed to run before it is killed (0: no limit)" };

    public Option<string?> SdNotify { get; } = new("--sdnotify") { Description = "Control sd-notify behavior (container, conmon or ignore)" };

    public void AddTo(Command command)
    {
        command.Options.Add(CidFile);
        command.Options.Add(Replace);
        command.Options.Add(PidFile);
        command.Options.Add(Annotation);
        command.Options.Add(Timeout);
        command.Options.Add(SdNotify);
        SdNotify.CompletionSources.Add(SdNotifyModes.Container, SdNotifyModes.Conmon, SdNotifyModes.Ignore);
    }

    /// <summary>
    /// --pidfile as an absolute path (the monitor writes it from another directory), --annotation as a map, --timeout in
    /// seconds, --sdnotify with the NOTIFY_SOCKET of this command (as podman, taken at create), and this command line.
    /// </summary>
    public ContainerConfig Apply(ParseResult parse, ContainerConfig config, string imageArgument)
    {
        string? sdNotify = SdNotifyModes.Parse(parse.GetValue(SdNotify));
        return config with
        {
            PidFile = parse.GetValue(PidFile) is { Length: > 0 } path ? ContainerPidFile.Validate(path) : null,
            Annotations = Annotations(parse.GetValue(Annotation) ?? []),
            Timeout = ParseTimeout(parse.GetValue(Timeout)),
            SdNotifyMode = sdNotify,
            SdNotifySocket = SdNotifyModes.Socket(sdNotify, Environment.GetEnvironmentVariable(SdNotifyModes.SocketVariable)),
            CreateCommand = CreateCommandLine.Record(Environment.GetCommandLineArgs(), imageArgument),
        };
    }

    /// <summary>
    /// podman's --timeout, a Go uint; conmon takes at most a C int of seconds (podman then fails at the start, skiff at
    /// the create).
    /// </summary>
    public static uint? ParseTimeout(string? value) =>
        value is null ? null : Flags.UnsignedFlag.Parse("--timeout", value, int.MaxValue) is > 0 and uint seconds ? seconds : null;

    /// <summary>podman's --annotation: KEY=VALUE (the value may hold '='), a later KEY wins; a bare KEY is refused.</summary>
    public static Dictionary<string, string> Annotations(IEnumerable<string> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            int equals = value.IndexOf('=');
            if (equals < 0)
            {
                throw SkiffException.InvalidArgument("annotations must be formatted KEY=VALUE", $"give --annotation {value}=VALUE");
            }

            result[value[..equals]] = value[(equals + 1)..];
        }

        return result;
    }

    /// <summary>
    /// Claims the --cidfile path (created empty, never over an existing file, as podman and docker refuse that) or
    /// returns null without the flag. The caller writes the id once the container is stored; disposed before, the
    /// claim is given up and the file removed.
    /// </summary>
    public ContainerIdFile? ClaimIdFile(ParseResult parse) =>
        parse.GetValue(CidFile) is { Length: > 0 } path ? ContainerIdFile.Claim(path) : null;

    /// <summary>With --replace, stops (the container's stop signal and timeout) and removes the container that has the name asked for; prints its name, as podman.</summary>
    public void ReplaceExisting(ParseResult parse, string? name, CliContext context)
    {
        if (!parse.GetValue(Replace))
        {
            return;
        }

        if (name is null)
        {
            throw SkiffException.InvalidArgument("cannot replace container without --name being set", "give the container a name with --name NAME");
        }

        ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
        // By name only: an id prefix equal to the name must not pick another container.
        if (lifecycle.Store.TryResolve(name) is not { } id || lifecycle.Store.ReadConfig(id).Name != name)
        {
            return;
        }

        if (lifecycle.Observe(id).Running)
        {
            lifecycle.Stop(id, timeout: null);
        }

        lifecycle.Remove(id, force: true);
        context.Out.WriteLine(name);
    }
}
