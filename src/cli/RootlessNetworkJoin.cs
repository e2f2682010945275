using Skiff.Core.Paths;
using Skiff.Rootless.Network;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli;

/// <summary>
/// Decides, before a rootless verb is re-executed in a user namespace, whether it must run in the rootless
/// network namespace's user namespace instead of a fresh one: run/create with <c>--network NAME</c> of a
/// user-defined network, and start/restart of containers that have an address on one.
/// </summary>
public static class RootlessNetworkJoin
{
    public static bool Needed(string verb, string[] args, int verbIndex, StorePaths paths)
    {
        string[] options = args.Skip(verbIndex + 1).TakeWhile(a => a != "--").ToArray();
        switch (verb)
        {
            case "run" or "create":
                for (int i = 0; i < options.Length; i++)
                {
                    string? value = options[i] switch
                    {
                        "--network" or "--net" when i + 1 < options.Length => options[i + 1],
                        string t when t.StartsWith("--network=", StringComparison.Ordinal) => t["--network=".Length..],
                        string t when t.StartsWith("--net=", StringComparison.Ordinal) => t["--net=".Length..],
                        _ => null,
                    };
                    if (value is not null && IsUserNetwork(value))
                    {
                        return true;
                    }
                }

                return false;
            case "start" or "restart":
                var store = new ContainerStore(paths.Root, paths.RunRoot);
                foreach (string name in options.Where(o => !o.StartsWith('-')))
                {
                    try
                    {
                        if (store.TryResolve(name) is string id && store.ReadConfig(id).NetworkEndpoint is not null)
                        {
                            return true;
                        }
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.Errors.SkiffException)
                    {
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static bool IsUserNetwork(string value)
    {
        try
        {
            return NetworkMode.Parse(value).Kind == NetworkKind.Bridge;
        }
        catch (Core.Errors.SkiffException)
        {
            return false;
        }
    }
}
