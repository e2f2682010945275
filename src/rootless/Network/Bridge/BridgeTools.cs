namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Where nft, nsenter and unshare are: in /usr/sbin and /sbin, which a normal user's PATH often lacks, so
/// those are searched too. A missing tool is reported by the runner naming it.
/// </summary>
public sealed record BridgeTools(string Nft, string Nsenter, string Unshare)
{
    public static BridgeTools Find()
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .ToArray();
        return new BridgeTools(Locate("nft", directories), Locate("nsenter", directories), Locate("unshare", directories));
    }

    private static string Locate(string program, IEnumerable<string> directories) =>
        directories.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists) ?? program;
}
