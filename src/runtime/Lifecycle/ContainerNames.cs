using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>docker-style container names: validation and random adjective_noun names for containers without --name.</summary>
public static class ContainerNames
{
    private static readonly string[] Adjectives =
    [
        "agile", "amber", "bold", "brave", "bright", "calm", "clever", "cosmic", "crisp", "curious",
        "daring", "eager", "fancy", "fearless", "festive", "gentle", "glad", "golden", "happy", "honest",
        "jolly", "keen", "kind", "lively", "lucid", "merry", "mellow", "nimble", "noble", "patient",
        "plucky", "proud", "quiet", "quirky", "rapid", "serene", "sharp", "silent", "sleepy", "steady",
        "sunny", "swift", "tender", "tidy", "upbeat", "vivid", "warm", "wise", "witty", "zealous",
    ];

    private static readonly string[] Nouns =
    [
        "albatross", "anchor", "badger", "beacon", "bison", "canoe", "comet", "cormorant", "dinghy", "dolphin",
        "ferry", "gannet", "galleon", "harbor", "heron", "island", "jetty", "kayak", "keel", "kestrel",
        "lagoon", "lighthouse", "mast", "narwhal", "otter", "pelican", "puffin", "quay", "raft", "reef",
        "rudder", "schooner", "seal", "shoal", "sloop", "starling", "tern", "tide", "trawler", "walrus",
    ];

    public static string Random() =>
        $"{Adjectives[Skiff.Core.Entropy.KernelRandom.GetInt32(Adjectives.Length)]}_{Nouns[Skiff.Core.Entropy.KernelRandom.GetInt32(Nouns.Length)]}";

    /// <summary>
    /// podman's rule, [a-zA-Z0-9][a-zA-Z0-9_.-]* (a leading '/' is accepted and dropped). docker asks for two
    /// characters at least; podman takes one, and `--name a` is common in scripts.
    /// </summary>
    public static string Validate(string name)
    {
        string bare = name.StartsWith('/') ? name[1..] : name;
        bool valid = bare.Length >= 1 && char.IsAsciiLetterOrDigit(bare[0])
            && bare.Skip(1).All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
        if (!valid)
        {
            throw SkiffException.InvalidArgument(
                $"invalid container name \"{name}\": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*",
                "use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }

        return bare;
    }
}
