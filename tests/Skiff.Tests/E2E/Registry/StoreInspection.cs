using System.Security.Cryptography;
using System.Text.Json;

namespace Skiff.Tests.E2E.Registry;

/// <summary>Reads a sandbox's store directly, to check what a pull left behind (the test process is root).</summary>
internal static class StoreInspection
{
    public static IReadOnlyList<JsonElement> ImageRecords(string storageRoot)
    {
        string directory = Path.Combine(storageRoot, "images");
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, "*.json")
            .Select(f => JsonDocument.Parse(File.ReadAllBytes(f)).RootElement.Clone())
            .ToList();
    }

    /// <summary>Every published blob must hash to its name: a torn or unverified blob is a store bug.</summary>
    public static void AssertBlobsVerified(string storageRoot)
    {
        string directory = Path.Combine(storageRoot, "blobs", "sha256");
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(directory))
        {
            using FileStream stream = File.OpenRead(file);
            Assert.Equal(Path.GetFileName(file), Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
    }

    /// <summary>Partial downloads are kept for resuming, but at most one per blob.</summary>
    public static int PartialCount(string storageRoot)
    {
        string directory = Path.Combine(storageRoot, "ingest");
        return Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.partial").Count() : 0;
    }

    /// <summary>
    /// Files that are not part of a consistent store: anything besides blobs, image records, resumable
    /// partials and their locks, lock files, and complete unpacked layers (a layer directory with its
    /// layer.json). Temp files of atomic writes and extraction leftovers count as strays.
    /// </summary>
    public static IReadOnlyList<string> StrayFiles(string storageRoot)
    {
        var strays = new List<string>();
        if (!Directory.Exists(storageRoot))
        {
            return strays;
        }

        foreach (string file in Directory.EnumerateFileSystemEntries(storageRoot, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(storageRoot, file);
            string[] parts = relative.Split('/');
            bool directory = Directory.Exists(file) && !File.GetAttributes(file).HasFlag(FileAttributes.ReparsePoint);
            bool known = parts switch
            {
                _ when !directory && parts[^1].EndsWith(".tmp", StringComparison.Ordinal) => false,
                _ when parts[^1].EndsWith(".lock", StringComparison.Ordinal) => true,
                ["blobs"] or ["blobs", "sha256"] or ["blobs", "sha256", _] => true,
                ["events", "events.log"] => !directory,
                ["images"] or ["images", _] => parts.Length == 1 || parts[1].EndsWith(".json", StringComparison.Ordinal),
                ["ingest"] or ["ingest", _] => parts.Length == 1 || parts[1].EndsWith(".partial", StringComparison.Ordinal),
                ["layers"] or ["layers", ".locks"] or ["layers", ".tmp"] => directory,
                ["layers", var chain, ..] when !chain.StartsWith('.') => File.Exists(Path.Combine(storageRoot, "layers", chain, "layer.json")),
                _ => directory && parts.Length == 1,
            };
            if (!known)
            {
                strays.Add(relative);
            }
        }

        return strays;
    }

    public static IReadOnlyList<string> Names(JsonElement record) =>
        record.GetProperty("names").EnumerateArray().Select(e => e.GetString()!).ToList();

    public static IReadOnlyList<string> Digests(JsonElement record) =>
        record.GetProperty("digests").EnumerateArray().Select(e => e.GetString()!).ToList();
}
