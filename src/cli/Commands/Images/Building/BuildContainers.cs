using System.CommandLine;
using Microsoft.Win32.SafeHandles;
using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Images.Building;

/// <summary>
/// The containers a build runs its steps in, made by the same path as <c>skiff create</c> and <c>skiff run</c>
/// (<see cref="ContainerCreator"/> over create's own flags), so a RUN gets the image's environment, user,
/// working directory, networking and mounts exactly as a run of that image would. Each one made is removed
/// again by <see cref="Remove"/> (its anonymous volumes too), which the builder calls also on failure and Ctrl-C.
/// </summary>
public sealed class BuildContainers(CliContext context, ContainerLifecycle lifecycle, string? network)
{
    /// <summary>Creates a container of <paramref name="imageId"/> that would run <paramref name="argv"/> with <paramref name="env"/> added.</summary>
    public async Task<ContainerConfig> CreateAsync(string imageId, IReadOnlyList<string> argv, IEnumerable<string> env, CancellationToken cancellationToken)
    {
        var options = new CreateOptions();
        var command = new Command("create");
        options.AddTo(command);
        var args = new List<string> { "--pull=never", "--no-healthcheck", "--entrypoint", string.Empty };
        if (network is not null)
        {
            args.Add("--network=" + network);
        }

        foreach (string variable in env)
        {
            args.Add("--env=" + variable);
        }

        args.Add("--");
        args.Add(imageId);
        args.AddRange(argv);
        ParseResult parse = command.Parse(args);
        if (parse.Errors.Count > 0)
        {
            throw SkiffException.InvalidArgument(parse.Errors[0].Message);
        }

        return await new ContainerCreator(context, options).CreateAsync(parse, detach: true, cancellationToken);
    }

    /// <summary>Starts the container, shows its output as <c>run</c> does, and returns its exit code.</summary>
    public async Task<int> RunAsync(string id)
    {
        (SafeFileHandle ours, SafeFileHandle theirs) = UnixSockets.SeqPacketPair();
        ContainerSignalProxy signals;
        using (theirs)
        {
            signals = new ContainerSignalProxy(lifecycle, id);
            try
            {
                lifecycle.Start(id, theirs);
            }
            catch
            {
                signals.Dispose();
                ours.Dispose();
                throw;
            }
        }

        using (ours)
        {
            return await ForegroundSession.RunAsync(lifecycle, id, ours, tty: false, stdin: false, detachKeys: null, proxySignals: true, streams: null, signals);
        }
    }

    /// <summary>Removes a step's container and its anonymous volumes (killing it if it still runs).</summary>
    public void Remove(string id)
    {
        IReadOnlyList<ContainerMount> mounts = lifecycle.Store.ReadConfig(id).Mounts;
        lifecycle.Remove(id, force: true);
        ContainerServices.Volumes(context).RemoveAnonymous(mounts);
    }
}
