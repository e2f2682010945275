using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Volumes;

namespace Skiff.Runtime.Secrets;

/// <summary>
/// A container's own copies of its secrets: <c>&lt;container&gt;/secrets/N</c> for its Nth --secret, in a 0700
/// directory. Copied at create, so a secret removed later does not change the container (podman 4.3 keeps its copy
/// too). A mount's copy gets the asked mode at once and its owner when the container starts (<see cref="Chown"/>,
/// run by the monitor in the container's user namespace, where the container's ids can be given); an env copy stays
/// 0600 and is read into the process's environment when the bundle is written, never into the stored config.
/// </summary>
public static class ContainerSecretFiles
{
    private const string DirectoryName = "secrets";
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string PathOf(string containerDirectory, int index) =>
        Path.Combine(containerDirectory, DirectoryName, index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Writes the copies of <paramref name="secrets"/>; <paramref name="valueOf"/> reads a secret's value from the store.</summary>
    public static void Write(string containerDirectory, IReadOnlyList<ContainerSecret> secrets, Func<ContainerSecret, byte[]> valueOf)
    {
        if (secrets.Count == 0)
        {
            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }

        Directory.CreateDirectory(Path.Combine(containerDirectory, DirectoryName), OwnerOnlyDirectory);
        for (int index = 0; index < secrets.Count; index++)
        {
            string path = PathOf(containerDirectory, index);
            using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile }))
            {
                stream.Write(valueOf(secrets[index]));
                stream.Flush(flushToDisk: true);
            }

            if (secrets[index].IsMount)
            {
                File.SetUnixFileMode(path, (UnixFileMode)(secrets[index].Mode & 0xfff));
            }
        }
    }

    /// <summary>The bind mounts of the mounted secrets: read-only, no devices, setuid or execution.</summary>
    public static IEnumerable<(string Destination, string Source)> Mounts(string containerDirectory, IReadOnlyList<ContainerSecret> secrets)
    {
        for (int index = 0; index < secrets.Count; index++)
        {
            if (secrets[index].IsMount)
            {
                yield return (secrets[index].Target, PathOf(containerDirectory, index));
            }
        }
    }

    /// <summary>The env secrets as <c>NAME=VALUE</c> for the process (the bundle only: inspect never shows them).</summary>
    public static IEnumerable<string> Environment(string containerDirectory, IReadOnlyList<ContainerSecret> secrets)
    {
        for (int index = 0; index < secrets.Count; index++)
        {
            if (!secrets[index].IsMount)
            {
                yield return secrets[index].Target + "=" + File.ReadAllText(PathOf(containerDirectory, index));
            }
        }
    }

    /// <summary>
    /// Gives each mounted copy its owner (the container's uid and gid through its map) and the directory to the
    /// container's root, so a runtime working as that root in a user namespace of its own can reach the copies.
    /// </summary>
    public static void Chown(string containerDirectory, ContainerConfig config)
    {
        if (config.Secrets.Count == 0)
        {
            return;
        }

        IdMap? map = config.IdMappings;
        VolumeOwnership.Change(Path.Combine(containerDirectory, DirectoryName), HostUid(map, 0), HostGid(map, 0));
        for (int index = 0; index < config.Secrets.Count; index++)
        {
            ContainerSecret secret = config.Secrets[index];
            if (secret.IsMount)
            {
                VolumeOwnership.Change(PathOf(containerDirectory, index), HostUid(map, secret.Uid), HostGid(map, secret.Gid));
            }
        }
    }

    private static uint HostUid(IdMap? map, uint uid) =>
        map is null ? uid : map.HostUid(uid) ?? throw Unmapped("uid", uid);

    private static uint HostGid(IdMap? map, uint gid) =>
        map is null ? gid : map.HostGid(gid) ?? throw Unmapped("gid", gid);

    private static SkiffException Unmapped(string kind, uint value) =>
        SkiffException.InvalidArgument($"cannot give a secret to {kind} {value}: the container's user namespace does not map it", "give --secret a uid and gid the --uidmap/--gidmap covers");
}
