namespace Skiff.Runtime.Seccomp;

/// <summary>A native architecture and the compat ones its kernel also runs.</summary>
public sealed class SeccompArchMap
{
    public string Architecture { get; set; } = string.Empty;

    public List<string>? SubArchitectures { get; set; }
}
