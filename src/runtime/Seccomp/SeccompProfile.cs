namespace Skiff.Runtime.Seccomp;

/// <summary>
/// A seccomp profile as docker and podman users write it (<c>--security-opt seccomp=FILE</c>): the OCI
/// spec's fields plus <c>archMap</c> and per-rule <c>includes</c>/<c>excludes</c>, which the engine
/// resolves for the container's capabilities and the host's architecture. A plain OCI seccomp section
/// is a valid profile too.
/// </summary>
public sealed class SeccompProfile
{
    public string DefaultAction { get; set; } = "SCMP_ACT_ALLOW";

    public uint? DefaultErrnoRet { get; set; }

    public List<string>? Architectures { get; set; }

    public List<SeccompArchMap>? ArchMap { get; set; }

    public List<string>? Flags { get; set; }

    public List<SeccompProfileRule>? Syscalls { get; set; }
}
