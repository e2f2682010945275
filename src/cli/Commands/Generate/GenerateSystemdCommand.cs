using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Flags;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Generate;

/// <summary>
/// <c>skiff generate systemd [--new] [-n] [-f] [--restart-policy P] [--restart-sec N] [--start-timeout N]
/// [--stop-timeout|-t N] [--container-prefix P] [--separator S] [--no-header] [--after U] [--wants U] [--requires U]
/// [-e NAME=VALUE] [--format json] CONTAINER</c>: a systemd service for the container, as podman 4.3's (see
/// <see cref="SystemdUnit"/>); printed, or with --files written to NAME.service in the current directory, whose path is
/// printed.
/// </summary>
public static class GenerateSystemdCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Option<bool>("--name", "-n") { Description = "Use container names instead of IDs" };
        var files = new Option<bool>("--files", "-f") { Description = "Generate .service files instead of printing to stdout" };
        var startTimeout = new Option<string?>("--start-timeout") { Description = "Start timeout override" };
        var stopTimeout = new Option<string?>("--stop-timeout") { Description = "Stop timeout override (default: the container's)" };
        var time = new Option<string?>("--time", "-t") { Description = "Backwards alias for --stop-timeout", Hidden = true };
        var isNew = new Option<bool>("--new") { Description = "Create a new container instead of starting an existing one" };
        var noHeader = new Option<bool>("--no-header") { Description = "Skip header generation" };
        var containerPrefix = new Option<string>("--container-prefix") { Description = "Systemd unit name prefix for containers", DefaultValueFactory = _ => "container" };
        var separator = new Option<string>("--separator") { Description = "Systemd unit name separator between name/id and prefix", DefaultValueFactory = _ => "-" };
        var restartPolicy = new Option<string?>("--restart-policy") { Description = "Systemd restart-policy (default \"on-failure\")" };
        var restartSec = new Option<string?>("--restart-sec") { Description = "Systemd restart-sec" };
        var format = new Option<string?>("--format") { Description = "Print the created units in specified format (json)" };
        var wants = new Option<string[]>("--wants") { Description = "Add (weak) requirement dependencies to the generated unit file", AllowMultipleArgumentsPerToken = false };
        var after = new Option<string[]>("--after") { Description = "Add dependencies order to the generated unit file", AllowMultipleArgumentsPerToken = false };
        var requires = new Option<string[]>("--requires") { Description = "Similar to wants, but declares stronger requirement dependencies", AllowMultipleArgumentsPerToken = false };
        var env = new Option<string[]>("--env", "-e") { Description = "Set environment variables to the systemd unit files", AllowMultipleArgumentsPerToken = false };
        var container = new Argument<string>("container") { Description = "The container" };
        var command = new Command("systemd", "Generate systemd units")
        {
            name, files, startTimeout, stopTimeout, time, isNew, noHeader, containerPrefix, separator, restartPolicy, restartSec, format, wants, after, requires, env, container,
        };
        restartPolicy.CompletionSources.Add([.. SystemdUnit.RestartPolicies]);
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            string? outputFormat = parse.GetValue(format);
            if (outputFormat is { Length: > 0 } && outputFormat.Trim() != "json")
            {
                throw SkiffException.InvalidArgument($"unknown --format argument: {outputFormat}", "use --format json");
            }

            string? stopText = parse.GetValue(stopTimeout);
            string? timeText = parse.GetValue(time);
            if (stopText is not null && timeText is not null)
            {
                throw SkiffException.InvalidArgument("stop-timeout and time are redundant and cannot be used together", "give one of them");
            }

            // The flags' values first, as pflag reads them before the command runs.
            uint? stopSeconds = stopText is not null ? UnsignedFlag.Parse("--stop-timeout", stopText)
                : timeText is not null ? UnsignedFlag.Parse("--time", timeText)
                : null;
            uint? restartSeconds = Unsigned("--restart-sec", parse.GetValue(restartSec));
            uint? startSeconds = Unsigned("--start-timeout", parse.GetValue(startTimeout));
            ContainerStore store = ContainerServices.Store(context);
            ContainerConfig config = store.ReadConfig(store.Resolve(parse.GetValue(container)!));
            bool fresh = parse.GetValue(isNew);
            if (!fresh && config.RestartPolicy is not (null or "no" or ""))
            {
                context.Error.WriteLine($"Warning: Container {config.Id} has restart policy \"{config.RestartPolicy}\" which can lead to issues on shutdown: consider recreating the container without a restart policy and use systemd's restart mechanism instead");
            }

            Command run = RunCommand.Create(globals);
            var request = new SystemdUnitRequest
            {
                Executable = context.SelfExecutable,
                Id = config.Id,
                Name = config.Name,
                UseName = parse.GetValue(name),
                New = fresh,
                ContainerPrefix = parse.GetValue(containerPrefix) ?? "container",
                Separator = parse.GetValue(separator) ?? "-",
                RestartPolicy = parse.GetValue(restartPolicy),
                RestartSec = restartSeconds,
                StartTimeout = startSeconds,
                StopTimeout = stopSeconds ?? (uint)Math.Max(0, config.StopTimeout),
                NoHeader = parse.GetValue(noHeader),
                Wants = parse.GetValue(wants) ?? [],
                After = parse.GetValue(after) ?? [],
                Requires = parse.GetValue(requires) ?? [],
                Environment = EnvironmentFlags.Collect(parse.GetValue(env) ?? [], []),
                RunRoot = context.Paths.RunRoot,
                MonitorPidFile = store.MonitorPidFilePath(config.Id),
                CreateCommand = config.CreateCommand,
                ContainerEnvironment = config.Env,
                TakesValue = token => PassThroughArguments.TakesValue(run, token),
                Version = System.VersionCommand.Version,
                Now = DateTimeOffset.UtcNow,
            };
            (string serviceName, string text) = SystemdUnit.Render(request);
            string output = text;
            if (parse.GetValue(files))
            {
                string path = Path.Combine(Environment.CurrentDirectory, serviceName + ".service");
                try
                {
                    File.WriteAllText(path, text);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw SkiffException.InvalidArgument($"writing {path}: {IoErrorText.Describe("open", path, e)}", "run it in a directory you can write");
                }

                // podman's: the path, on a line of its own unless printed as JSON.
                output = outputFormat is { Length: > 0 } ? path : path + "\n";
            }

            if (outputFormat is { Length: > 0 })
            {
                context.Out.WriteLine(JsonOutput.Serialize(TemplateMap.OfStrings([new(serviceName, output)]), indented: true, indentSize: 1));
            }
            else
            {
                context.Out.Write(output);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static uint? Unsigned(string flag, string? text) => text is null ? null : UnsignedFlag.Parse(flag, text);
}
