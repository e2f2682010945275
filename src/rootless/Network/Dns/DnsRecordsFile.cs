using System.Text;
using Skiff.Core.Files;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// A network's records file, <c>RUNROOT/networks/NAME.dns</c>: written by the monitors wherever they rewrite
/// the hosts files (same peers, same names), read by the network's responder, which reloads it when it
/// changes. The responder ends by itself once the file is gone (its network has no containers left).
/// </summary>
public sealed class DnsRecordsFile(string path)
{
    private DateTime loadedWrite;
    private long loadedLength = -1;
    private DnsRecords current = DnsRecords.Empty;

    public string Path { get; } = path;

    public static string Render(IEnumerable<NetworkEndpointEntry> peers)
    {
        var text = new StringBuilder("# skiff network records: ADDRESS NAME...\n");
        foreach (NetworkEndpointEntry peer in peers.DistinctBy(p => p.Id).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            foreach (string address in NetworkHostsFile.Addresses(peer))
            {
                text.Append(address).Append(' ').Append(string.Join(' ', NetworkHostsFile.Names(peer))).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Replaces the file (a rename: the responder sees a new modification time and size).</summary>
    public static void Write(string path, IEnumerable<NetworkEndpointEntry> peers) =>
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(Render(peers)));

    public bool Exists() => File.Exists(Path);

    /// <summary>The records, read again when the file's modification time or size changed since the last read.</summary>
    public DnsRecords Current()
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            return current;
        }

        if (info.LastWriteTimeUtc != loadedWrite || info.Length != loadedLength)
        {
            try
            {
                current = DnsRecords.Parse(File.ReadAllText(Path));
                loadedWrite = info.LastWriteTimeUtc;
                loadedLength = info.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Replaced while reading: the next query reads the new one.
            }
        }

        return current;
    }
}
