using Skiff.Core.Paths;
using Skiff.Rootless.Network;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli;

/// <summary>
/// Decides, before a rootless verb is re-executed in a user namespace, whether it must run in the rootless
/// network namespace's user namespace instead of a fresh one: run/create with <c>--network NAME</c> of a
/// user-defined network, start/restart of containers on user-defined networks, and network connect/disconnect
/// of a running container on them (the veth pair joins the container's namespace and the bridge's, which that
/// user namespace owns).
/// </summary>
public static class RootlessNetworkJoin
{
    public static bool Needed(string verb, string[] args, int verbIndex, StorePaths paths)
    {
        string[] options = args.Skip(verbIndex + 1).TakeWhile(a => a != "--").ToArray();
        switch (verb)
        {
            case "run" or "create":
                var values = new List<string>();
                for (int i = 0; i < options.Length; i++)
                {
                    string? value = options[i] switch
                    {
                        "--network" or "--net" when i + 1 < options.Length => options[i + 1],
                        string t when t.StartsWith("--network=", StringComparison.Ordinal) => t["--network=".Length..],
                        string t when t.StartsWith("--net=", StringComparison.Ordinal) => t["--net=".Length..],
                        _ => null,
                    };
                    if (value is not null)
                    {
                        values.Add(value);
                    }
                }

                return NetworkSelection.NamesUserNetwork(values);
            case "start" or "restart" or "init":
                var store = new ContainerStore(paths.Root, paths.RunRoot);
                // --all, --latest, --filter and --cidfile pick containers the arguments do not name: any of the
                // store's on a user-defined network may be among them.
                IEnumerable<string> candidates = SelectsBeyondNames(verb, options) ? store.ListIds() : options.Where(o => !o.StartsWith('-'));
                return candidates.Any(name => OnUserNetwork(store, name, running: false));
            case "network":
                // network connect|disconnect [FLAGS] NETWORK CONTAINER: flags with a value are --alias, --ip and --ip6.
                if (options.Length == 0 || options[0] is not ("connect" or "disconnect"))
                {
                    return false;
                }

                var positional = new List<string>();
                for (int i = 1; i < options.Length; i++)
                {
                    if (options[i] is "--alias" or "--ip" or "--ip6")
                    {
                        i++;
                    }
                    else if (!options[i].StartsWith('-'))
                    {
                        positional.Add(options[i]);
                    }
                }

                return positional.Count == 2 && OnUserNetwork(new ContainerStore(paths.Root, paths.RunRoot), positional[1], running: true);
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether start/restart/init's <paramref name="options"/> select containers by a flag rather than by name:
    /// --all (restart's and init's -a too; start's -a is --attach), --latest/-l, --filter/-f, --cidfile.
    /// </summary>
    private static bool SelectsBeyondNames(string verb, string[] options) => options.Any(o => o switch
    {
        "--all" or "--latest" or "--filter" or "--cidfile" => true,
        _ when o.StartsWith("--filter=", StringComparison.Ordinal) || o.StartsWith("--cidfile=", StringComparison.Ordinal) => true,
        // Short options, bundled or not (-l, -f, -al).
        _ when o.Length > 1 && o[0] == '-' && o[1] != '-' => o.Contains('l') || o.Contains('f') || (verb != "start" && o.Contains('a')),
        _ => false,
    });

    /// <summary>Whether the container is on user-defined networks (and, with <paramref name="running"/>, runs).</summary>
    private static bool OnUserNetwork(ContainerStore store, string name, bool running)
    {
        try
        {
            if (store.TryResolve(name) is not string id)
            {
                return false;
            }

            ContainerConfig config = store.ReadConfig(id);
            bool bridged = config.NetworkEndpoints.Count > 0 || NetworkMode.Parse(config.NetworkMode).Kind == NetworkKind.Bridge;
            return bridged && (!running || store.ReadState(id).Running);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.Errors.SkiffException)
        {
            return false;
        }
    }
}
