using Skiff.Core.Errors;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// docker's --detach-keys: a comma-separated sequence of single characters or ctrl-X combinations
/// (default ctrl-p,ctrl-q). An empty string disables detaching.
/// </summary>
public static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    public static byte[] Parse(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var keys = new List<byte>();
        foreach (string key in text.Split(','))
        {
            if (key.Length == 1)
            {
                keys.Add((byte)key[0]);
                continue;
            }

            if (key.StartsWith("ctrl-", StringComparison.OrdinalIgnoreCase) && key.Length == 6)
            {
                char c = char.ToLowerInvariant(key[5]);
                int code = c switch
                {
                    >= 'a' and <= 'z' => c - 'a' + 1,
                    '@' => 0,
                    '[' => 27,
                    '\\' => 28,
                    ']' => 29,
                    '^' => 30,
                    '_' => 31,
                    _ => -1,
                };
                if (code >= 0)
                {
                    keys.Add((byte)code);
                    continue;
                }
            }

            throw SkiffException.InvalidArgument($"invalid detach keys: {text}", "use e.g. ctrl-p,ctrl-q or a,b; keys are single characters or ctrl-<a-z@[\\]^_>");
        }

        return [.. keys];
    }
}
