using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Logs;
using Skiff.Runtime.Monitor;

namespace Skiff.Cli.Commands.Containers;

/// <summary>Turns run/create flags into a stored container with its OCI bundle.</summary>
public sealed class ContainerCreator(CliContext context, CreateOptions options)
{
    public ContainerConfig Create(ParseResult parse, bool detach)
    {
        string image = parse.GetValue(options.Image)!;
        string[] command = parse.GetValue(options.Command) ?? [];
        bool tty = parse.GetValue(options.Tty);
        bool interactive = parse.GetValue(options.Interactive);
        if (!parse.GetValue(options.Rootfs))
        {
            throw SkiffException.NotFound(
                $"{image}: image not known",
                "images are not available in this build yet: run a root filesystem directory with --rootfs DIR");
        }

        string rootfs = Path.GetFullPath(image);
        if (!Directory.Exists(rootfs))
        {
            throw SkiffException.NotFound($"rootfs {rootfs} does not exist", "give the directory of an exploded root filesystem");
        }

        string? entrypointFlag = parse.GetValue(options.Entrypoint);
        IReadOnlyList<string> entrypoint = entrypointFlag is null ? [] : entrypointFlag.Length == 0 ? [] : [entrypointFlag];
        IReadOnlyList<string> cmd = command.Length > 0 ? command : entrypoint.Count > 0 ? [] : ["/bin/sh"];

        string id = ContainerIds.New();
        string? name = parse.GetValue(options.Name);
        string runtime = parse.GetValue(options.Runtime) ?? OciRuntimes.DefaultProgram(File.Exists);
        var config = new ContainerConfig
        {
            Id = id,
            Name = name is null ? ContainerNames.Random() : ContainerNames.Validate(name),
            Created = DateTimeOffset.UtcNow,
            Image = image,
            RootfsPath = rootfs,
            Entrypoint = entrypoint,
            Cmd = cmd,
            Env = EnvironmentFlags.Collect(parse.GetValue(options.Env) ?? [], parse.GetValue(options.EnvFile) ?? []),
            WorkingDir = parse.GetValue(options.Workdir) ?? "/",
            User = parse.GetValue(options.User) ?? string.Empty,
            GroupAdd = parse.GetValue(options.GroupAdd) ?? [],
            Hostname = parse.GetValue(options.Hostname) ?? string.Empty,
            Tty = tty,
            OpenStdin = interactive,
            AutoRemove = parse.GetValue(options.Remove),
            Labels = Labels(parse.GetValue(options.Label) ?? []),
            LogDriver = LogDrivers.Validate(parse.GetValue(options.LogDriver) ?? LogDrivers.K8sFile),
            StopSignal = parse.GetValue(options.StopSignal) ?? "SIGTERM",
            StopTimeout = parse.GetValue(options.StopTimeout) ?? 10,
            NetworkMode = parse.GetValue(options.Network) ?? "none",
            ReadOnlyRootfs = parse.GetValue(options.ReadOnly),
            Init = parse.GetValue(options.Init),
            Mounts = MountFlags.Parse(parse.GetValue(options.Volume) ?? [], parse.GetValue(options.Mount) ?? [], parse.GetValue(options.Tmpfs) ?? []),
            Ulimits = parse.GetValue(options.Ulimit) ?? [],
            DetachKeys = parse.GetValue(options.DetachKeys),
            Runtime = runtime,
        };
        Signals.Parse(config.StopSignal);
        BundleWriter.ParseUser(config.User);
        if (config.DetachKeys is not null)
        {
            DetachKeys.Parse(config.DetachKeys);
        }

        if (config.Init)
        {
            throw SkiffException.InvalidArgument("--init is not supported yet", "run without --init");
        }

        _ = detach;
        ContainerStore store = ContainerServices.Store(context);
        store.Create(config);
        try
        {
            new BundleWriter(store).Write(config, context.User.Rootless, Runtime.Terminal.TerminalSize.TryGet(0));
        }
        catch
        {
            store.Remove(config.Id);
            throw;
        }

        return config;
    }

    private static Dictionary<string, string> Labels(string[] labels)
    {
        var result = new Dictionary<string, string>();
        foreach (string label in labels)
        {
            string[] parts = label.Split('=', 2);
            result[parts[0]] = parts.Length == 2 ? parts[1] : string.Empty;
        }

        return result;
    }
}
