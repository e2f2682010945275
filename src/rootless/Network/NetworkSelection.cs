using Skiff.Core.Errors;

namespace Skiff.Rootless.Network;

/// <summary>
/// What run/create's --network values ask for, with podman's rules: one mode (none, host, pasta[:…],
/// slirp4netns[:…]) or one or more user-defined networks, given as repeated flags or comma-separated
/// (<c>--network a,b</c>; a value with options, <c>pasta:A,B</c>, is one value). Mixing a mode with a
/// network is refused with podman's messages. A user-defined network may carry its endpoint's options
/// (<c>NAME:ip=…,mac=…</c>, <see cref="NetworkAttachment"/>).
/// </summary>
public sealed record NetworkSelection(string Mode, IReadOnlyList<string> Networks)
{
    /// <summary>One per network of <see cref="Networks"/>, in its order, with what each value asked of its endpoint.</summary>
    public IReadOnlyList<NetworkAttachment> Attachments { get; init; } = [];

    /// <summary>The selection of <paramref name="values"/>, or null when none was given.</summary>
    public static NetworkSelection? Parse(IReadOnlyList<string>? values)
    {
        List<string> items = (values ?? []).SelectMany(Split).ToList();
        if (items.Count == 0)
        {
            return null;
        }

        NetworkMode first = NetworkMode.Parse(items[0]);
        if (items.Count == 1)
        {
            return first.Kind == NetworkKind.Bridge
                ? new NetworkSelection(first.Network!, [first.Network!]) { Attachments = [NetworkAttachment.FromMode(first)] }
                : new NetworkSelection(items[0], []);
        }

        if (first.Kind != NetworkKind.Bridge)
        {
            throw SkiffException.InvalidArgument($"cannot set multiple networks without bridge network mode, selected mode {ModeName(items[0])}: invalid argument");
        }

        var networks = new List<string>();
        var attachments = new List<NetworkAttachment>();
        foreach (string item in items)
        {
            if (NetworkMode.Parse(item) is not { Kind: NetworkKind.Bridge, Network: string network } mode)
            {
                throw SkiffException.InvalidArgument($"can only set extra network names, selected mode {ModeName(item)} conflicts with bridge: invalid argument");
            }

            if (!networks.Contains(network, StringComparer.Ordinal))
            {
                networks.Add(network);
                attachments.Add(NetworkAttachment.FromMode(mode));
            }
        }

        return new NetworkSelection(networks[0], networks) { Attachments = attachments };
    }

    /// <summary>Whether any of <paramref name="values"/> names a user-defined network (no error for bad values: create reports them).</summary>
    public static bool NamesUserNetwork(IEnumerable<string> values)
    {
        foreach (string item in values.SelectMany(Split))
        {
            try
            {
                if (NetworkMode.Parse(item).Kind == NetworkKind.Bridge)
                {
                    return true;
                }
            }
            catch (SkiffException)
            {
            }
        }

        return false;
    }

    /// <summary>"a,b" is two networks; "slirp4netns:a=1,b=2" is one mode with its options.</summary>
    private static IEnumerable<string> Split(string value) =>
        value.Contains(':', StringComparison.Ordinal) ? [value] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string ModeName(string value) => value.Split(':')[0];
}
