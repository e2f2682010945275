namespace Skiff.Cli.Commands.System;

/// <summary>Environment set for programs run by <c>skiff unshare</c> (podman sets _CONTAINERS_USERNS_CONFIGURED the same way).</summary>
public static class UnshareCommandVariables
{
    /// <summary>"1" inside <c>skiff unshare</c>: its mount namespace outlives one skiff command, so mounts made there are useful.</summary>
    public const string Unshared = "_SKIFF_UNSHARED";
}
