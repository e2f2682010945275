namespace Skiff.Runtime.Monitor;

/// <summary>
/// Watches keyboard input for the detach sequence. Bytes that could start the sequence are held back;
/// if the sequence breaks they are released, so typing ctrl-p alone still reaches the container.
/// </summary>
public sealed class DetachKeyMatcher(byte[] sequence)
{
    private int matched;

    /// <summary>Filters <paramref name="input"/> into <paramref name="forward"/>; returns true when the sequence completed.</summary>
    public bool Feed(ReadOnlySpan<byte> input, List<byte> forward)
    {
        foreach (byte b in input)
        {
            if (sequence.Length == 0)
            {
                forward.Add(b);
                continue;
            }

            if (b == sequence[matched])
            {
                matched++;
                if (matched == sequence.Length)
                {
                    matched = 0;
                    return true;
                }

                continue;
            }

            forward.AddRange(sequence.AsSpan(0, matched));
            matched = 0;
            if (b == sequence[0])
            {
                matched = 1;
                continue;
            }

            forward.Add(b);
        }

        return false;
    }
}
