namespace Skiff.Rootless.IdMaps;

/// <summary>podman's <c>--userns</c> modes that skiff implements.</summary>
public enum UserNamespaceKind
{
    /// <summary>No flag: root runs without a user namespace, rootless in skiff's own (container 0 = the user).</summary>
    Default,

    /// <summary>--userns=host: as the default (root: the host's ids; rootless: skiff's user namespace as is).</summary>
    Host,

    /// <summary>--userns=keep-id[:uid=N,gid=N]: the user's own ids inside (rootless only).</summary>
    KeepId,

    /// <summary>--userns=nomap: the user's own ids are not mapped (rootless only).</summary>
    NoMap,

    /// <summary>--userns=auto[:size=N]: a fresh range of subordinate ids (as root the <c>containers</c> ones, rootless the user's own).</summary>
    Auto,

    /// <summary>--uidmap/--gidmap: the given maps.</summary>
    Private,

    /// <summary>--userns=container:ID: the user namespace of another container (and its maps).</summary>
    Container,

    /// <summary>--userns=ns:PATH: the user namespace bound at a path.</summary>
    Path,
}
