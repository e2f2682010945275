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

    public static IReadOnlyList<string> Names(JsonElement record) =>
        record.GetProperty("names").EnumerateArray().Select(e => e.GetString()!).ToList();

    public static IReadOnlyList<string> Digests(JsonElement record) =>
        record.GetProperty("digests").EnumerateArray().Select(e => e.GetString()!).ToList();
}
