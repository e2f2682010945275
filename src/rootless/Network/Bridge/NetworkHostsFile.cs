using System.Text;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Name resolution on a network through /etc/hosts: below a marker line, each container's hosts file lists the
/// other containers connected to its networks (name, aliases, short id). The part above the marker is the
/// container's own file as create wrote it and is kept. Rewritten in place whenever a container joins or
/// leaves, because the file is bind-mounted (a rename would leave the container with the old inode).
/// </summary>
public static class NetworkHostsFile
{
    public const string Marker = "# skiff network peers";

    public static string Render(string current, IEnumerable<NetworkEndpointEntry> peers, string selfId)
    {
        int at = current.IndexOf(Marker + "\n", StringComparison.Ordinal);
        var text = new StringBuilder(at < 0 ? current : current[..at]);
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }

        List<NetworkEndpointEntry> others = peers.Where(p => p.Id != selfId).DistinctBy(p => (p.Id, p.Address)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (others.Count == 0)
        {
            return text.ToString();
        }

        text.Append(Marker).Append('\n');
        foreach (NetworkEndpointEntry peer in others)
        {
            foreach (string address in Addresses(peer))
            {
                text.Append(address).Append('\t').Append(string.Join(' ', Names(peer))).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary><paramref name="rendered"/> followed by the peers section of the file at <paramref name="path"/>, if it has one.</summary>
    public static string WithPeersOf(string rendered, string path)
    {
        string? current = TryReadText(path);
        int at = current?.IndexOf(Marker + "\n", StringComparison.Ordinal) ?? -1;
        if (current is null || at < 0)
        {
            return rendered;
        }

        return (rendered.Length > 0 && rendered[^1] != '\n' ? rendered + "\n" : rendered) + current[at..];
    }

    /// <summary>The names a peer is found by: its name, its aliases, its short id (the network's DNS records use the same).</summary>
    public static IEnumerable<string> Names(NetworkEndpointEntry peer) =>
        new[] { peer.Name }.Concat(peer.Aliases).Append(peer.Id[..Math.Min(12, peer.Id.Length)]).Distinct(StringComparer.Ordinal);

    /// <summary>A peer's addresses: its IPv4 address, and its IPv6 address on a dual-stack network.</summary>
    public static IEnumerable<string> Addresses(NetworkEndpointEntry peer) =>
        peer.Ipv6Address is { } v6 ? [peer.Address, v6] : [peer.Address];

    /// <summary>Replaces the file's content without replacing the file (truncate and write through the same inode).</summary>
    public static void Update(string path, IEnumerable<NetworkEndpointEntry> peers, string selfId)
    {
        if (TryReadText(path) is not { } current)
        {
            return;
        }

        string rendered = Render(current, peers, selfId);
        if (rendered == current)
        {
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        byte[] bytes = Encoding.UTF8.GetBytes(rendered);
        stream.SetLength(0);
        stream.Write(bytes);
    }

    /// <summary>The file's text, or null when it is gone (the container was removed meanwhile).</summary>
    private static string? TryReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
