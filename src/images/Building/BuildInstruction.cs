namespace Skiff.Images.Building;

/// <summary>One instruction of a Containerfile, continuations joined, comments dropped.</summary>
/// <param name="Keyword">The instruction in upper case (<c>RUN</c>, <c>COPY</c>, …).</param>
/// <param name="Flags">Its leading <c>--name=value</c> flags (COPY --chown, FROM --platform, HEALTHCHECK --interval), in order.</param>
/// <param name="Arguments">The rest of the line after the flags, as written (variables not yet substituted).</param>
/// <param name="Original">The whole instruction as one line (podman's step lines and history show it).</param>
/// <param name="Line">The line number where it starts, from 1.</param>
public sealed record BuildInstruction(string Keyword, IReadOnlyList<KeyValuePair<string, string?>> Flags, string Arguments, string Original, int Line)
{
    /// <summary>The value of a flag given as <c>--name=value</c> (the last one wins), or null.</summary>
    public string? Flag(string name)
    {
        string? value = null;
        foreach ((string key, string? v) in Flags)
        {
            if (key == name)
            {
                value = v ?? string.Empty;
            }
        }

        return value;
    }

    /// <summary>The exec (JSON array) form of the arguments, or null when they are in shell form.</summary>
    public IReadOnlyList<string>? ExecForm => ContainerfileParser.TryJsonArray(Arguments);
}
