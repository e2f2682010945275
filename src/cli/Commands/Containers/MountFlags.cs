using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.Containers;

/// <summary>Parses -v/--volume, --mount and --tmpfs into container mounts (volumes get their source when resolved at create).</summary>
public static class MountFlags
{
    public static IReadOnlyList<ContainerMount> Parse(IEnumerable<string> volumes, IEnumerable<string> mounts, IEnumerable<string> tmpfs)
    {
        var result = new List<ContainerMount>();
        foreach (string volume in volumes)
        {
            string[] parts = volume.Split(':');

            // -v /dst and -v /dst:ro: an anonymous volume (the second field is options, not a path).
            if (parts.Length == 1 || (parts.Length == 2 && parts[0].StartsWith('/') && !parts[1].StartsWith('/')))
            {
                if (!parts[0].StartsWith('/'))
                {
                    throw SkiffException.InvalidArgument($"invalid volume specification: \"{volume}\"", "use -v /container/path, -v NAME:/container/path or -v /host/path:/container/path[:ro]");
                }

                result.Add(Volume(null, parts[0], parts.Length == 2 ? parts[1].Split(',') : [], volume));
                continue;
            }

            if (parts.Length > 3 || parts[1].Length == 0 || !parts[1].StartsWith('/'))
            {
                throw SkiffException.InvalidArgument($"invalid volume specification: \"{volume}\"", "use -v /host/path:/container/path[:ro] or -v NAME:/container/path[:ro]");
            }

            string[] options = parts.Length == 3 ? parts[2].Split(',') : [];
            if (!parts[0].StartsWith('/') && !parts[0].StartsWith('.'))
            {
                result.Add(Volume(VolumeNames.Validate(parts[0]), parts[1], options, volume));
                continue;
            }

            result.Add(Bind(parts[0], parts[1], options, volume));
        }

        foreach (string mount in mounts)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string field in mount.Split(','))
            {
                string[] kv = field.Split('=', 2);
                fields[kv[0]] = kv.Length == 2 ? kv[1] : "true";
            }

            string type = fields.GetValueOrDefault("type", "volume");
            string? target = fields.GetValueOrDefault("target") ?? fields.GetValueOrDefault("destination") ?? fields.GetValueOrDefault("dst");
            if (target is null || !target.StartsWith('/'))
            {
                throw SkiffException.InvalidArgument($"invalid mount \"{mount}\": target must be an absolute path");
            }

            bool readOnly = fields.TryGetValue("readonly", out string? ro) && ro != "false" || fields.ContainsKey("ro");
            bool chown = fields.TryGetValue("U", out string? u) && u != "false";
            string[] idmap = fields.TryGetValue("idmap", out string? mapped) && mapped != "false" ? [mapped == "true" ? "idmap" : "idmap=" + mapped] : [];
            switch (type)
            {
                case "bind":
                    string source = fields.GetValueOrDefault("source") ?? fields.GetValueOrDefault("src")
                        ?? throw SkiffException.InvalidArgument($"invalid mount \"{mount}\": a bind mount needs source=");
                    result.Add(Bind(source, target, [.. readOnly ? ["ro"] : Array.Empty<string>(), .. chown ? ["U"] : Array.Empty<string>(), .. idmap], mount));
                    break;
                case "tmpfs":
                    result.Add(new ContainerMount("tmpfs", "tmpfs", target, null, TmpfsMountOptions(mount)));
                    break;
                case "volume":
                    string? name = fields.GetValueOrDefault("source") ?? fields.GetValueOrDefault("src");
                    var volumeOptions = new List<string>();
                    if (readOnly)
                    {
                        volumeOptions.Add("ro");
                    }

                    if (fields.TryGetValue("volume-nocopy", out string? nocopy) && nocopy != "false")
                    {
                        volumeOptions.Add("nocopy");
                    }

                    if (chown)
                    {
                        volumeOptions.Add("U");
                    }

                    volumeOptions.AddRange(idmap);

                    result.Add(Volume(name is { Length: > 0 } ? VolumeNames.Validate(name) : null, target, volumeOptions, mount));
                    break;
                default:
                    throw SkiffException.InvalidArgument($"invalid mount type \"{type}\" in \"{mount}\"", "use type=bind, type=volume or type=tmpfs");
            }
        }

        foreach (string entry in tmpfs)
        {
            string[] parts = entry.Split(':', 2);
            if (!parts[0].StartsWith('/'))
            {
                throw SkiffException.InvalidArgument($"invalid tmpfs \"{entry}\": the path must be absolute");
            }

            result.Add(new ContainerMount("tmpfs", "tmpfs", parts[0], null, TmpfsOptions(parts.Length == 2 ? parts[1].Split(',') : [])));
        }

        return result;
    }

    /// <summary>
    /// A tmpfs mount's options as podman 4.3 completes them (and shows them in inspect's HostConfig.Tmpfs): the user's
    /// own first, then rw, rprivate, nosuid and nodev unless the user chose otherwise, and tmpcopyup (the image's content
    /// at the destination copied into the tmpfs) unless notmpcopyup was given.
    /// </summary>
    public static List<string> TmpfsOptions(IEnumerable<string> given)
    {
        var options = new List<string>();
        bool copyUp = true;
        foreach (string option in given)
        {
            switch (option)
            {
                case "":
                    break;
                case "notmpcopyup":
                    copyUp = false;
                    break;
                case "tmpcopyup":
                    copyUp = true;
                    break;
                default:
                    options.Add(option);
                    break;
            }
        }

        if (!options.Any(o => o is "ro" or "rw"))
        {
            options.Add("rw");
        }

        if (!options.Any(o => o is "private" or "rprivate" or "shared" or "rshared" or "slave" or "rslave" or "unbindable" or "runbindable"))
        {
            options.Add("rprivate");
        }

        if (!options.Any(o => o is "suid" or "nosuid"))
        {
            options.Add("nosuid");
        }

        if (!options.Any(o => o is "dev" or "nodev"))
        {
            options.Add("nodev");
        }

        if (copyUp)
        {
            options.Add("tmpcopyup");
        }

        return options;
    }

    /// <summary>--mount type=tmpfs's fields, as podman 4.3 reads them (tmpfs-size, tmpfs-mode, ro, the exec/suid/dev flags, tmpcopyup/notmpcopyup).</summary>
    private static List<string> TmpfsMountOptions(string mount)
    {
        var given = new List<string>();
        foreach (string field in mount.Split(','))
        {
            string[] kv = field.Split('=', 2);
            string? value = kv.Length == 2 ? kv[1] : null;
            switch (kv[0])
            {
                case "type" or "target" or "destination" or "dst" or "consistency":
                    break;
                case "ro" or "readonly":
                    if (value is null or "true")
                    {
                        given.Add("ro");
                    }
                    else if (value != "false")
                    {
                        throw SkiffException.InvalidArgument($"invalid mount \"{mount}\": {kv[0]} takes true or false");
                    }

                    break;
                case "rw" or "exec" or "noexec" or "suid" or "nosuid" or "dev" or "nodev" or "tmpcopyup" or "notmpcopyup":
                    given.Add(kv[0]);
                    break;
                case "tmpfs-size":
                    given.Add("size=" + value);
                    break;
                case "tmpfs-mode":
                    given.Add("mode=" + value);
                    break;
                case "src" or "source":
                    throw SkiffException.InvalidArgument($"invalid mount \"{mount}\": source is not supported with tmpfs mounts");
                case "U" or "chown":
                    throw SkiffException.InvalidArgument($"invalid mount \"{mount}\": U (chown) is not supported for tmpfs mounts", "give the tmpfs an owner with --tmpfs DIR:uid=N,gid=N");
                default:
                    throw SkiffException.InvalidArgument($"invalid mount \"{mount}\": {kv[0]}: invalid mount option");
            }
        }

        return TmpfsOptions(given);
    }

    /// <summary>A named (or, with a null name, anonymous) volume; its source is filled in when the volume is resolved at create.</summary>
    private static ContainerMount Volume(string? name, string target, IReadOnlyList<string> options, string spec)
    {
        var mountOptions = new List<string>();
        foreach (string option in options)
        {
            switch (option)
            {
                case "ro" or "nocopy" or "U" or "idmap":
                    mountOptions.Add(option);
                    break;
                case "rw" or "z" or "Z" or "":
                    break;
                default:
                    throw SkiffException.InvalidArgument($"invalid volume option \"{option}\" in \"{spec}\"", option.StartsWith("idmap=", StringComparison.Ordinal) ? "idmap takes the container's own map; idmap=uids=…;gids=… is not supported" : "use ro, rw, nocopy, U or idmap");
            }
        }

        return new ContainerMount("volume", string.Empty, target, name, mountOptions);
    }

    /// <summary>
    /// Why a bind source cannot be used: Path.Exists is false both for a missing path and for one behind a directory the
    /// user may not search (rootless, a path under /root), and "does not exist" would send the user looking for a typo.
    /// </summary>
    private static SkiffException MissingSource(string spec, string full)
    {
        try
        {
            File.GetAttributes(full);
        }
        catch (UnauthorizedAccessException)
        {
            return new SkiffException(
                ErrorKind.PermissionDenied,
                $"invalid volume \"{spec}\": the source path \"{full}\" cannot be reached: permission denied",
                // Not the user's name: rootless, this runs as root of the user's namespace.
                "the user who runs skiff needs search (x) permission on each directory above the path: choose a path that user can reach, or change those permissions");
        }
        catch (IOException)
        {
        }

        return SkiffException.NotFound($"invalid volume \"{spec}\": the source path \"{full}\" does not exist");
    }

    private static ContainerMount Bind(string source, string target, IReadOnlyList<string> options, string spec)
    {
        string full = Path.GetFullPath(source);
        if (!Path.Exists(full))
        {
            throw MissingSource(spec, full);
        }

        var mountOptions = new List<string>();
        foreach (string option in options)
        {
            switch (option)
            {
                case "ro" or "rw" or "z" or "Z" or "":
                    if (option == "ro")
                    {
                        mountOptions.Add("ro");
                    }

                    break;
                case "private" or "rprivate" or "shared" or "rshared" or "slave" or "rslave" or "U" or "idmap":
                    mountOptions.Add(option);
                    break;
                default:
                    throw SkiffException.InvalidArgument($"invalid volume option \"{option}\" in \"{spec}\"", option.StartsWith("idmap=", StringComparison.Ordinal) ? "idmap takes the container's own map; idmap=uids=…;gids=… is not supported" : "use ro, rw, U, idmap or a propagation mode");
            }
        }

        return new ContainerMount("bind", full, target, null, mountOptions);
    }
}
