using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>Parses -v/--volume, --mount and --tmpfs into container mounts.</summary>
public static class MountFlags
{
    public static IReadOnlyList<ContainerMount> Parse(IEnumerable<string> volumes, IEnumerable<string> mounts, IEnumerable<string> tmpfs)
    {
        var result = new List<ContainerMount>();
        foreach (string volume in volumes)
        {
            string[] parts = volume.Split(':');
            if (parts.Length is < 2 or > 3 || parts[1].Length == 0 || !parts[1].StartsWith('/'))
            {
                throw SkiffException.InvalidArgument($"invalid volume specification: \"{volume}\"", "use -v /host/path:/container/path[:ro]");
            }

            if (!parts[0].StartsWith('/') && !parts[0].StartsWith('.'))
            {
                throw SkiffException.InvalidArgument($"named volume \"{parts[0]}\" is not supported yet", "bind a host directory: -v /host/path:/container/path");
            }

            result.Add(Bind(parts[0], parts[1], parts.Length == 3 ? parts[2].Split(',') : [], volume));
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
            switch (type)
            {
                case "bind":
                    string source = fields.GetValueOrDefault("source") ?? fields.GetValueOrDefault("src")
                        ?? throw SkiffException.InvalidArgument($"invalid mount \"{mount}\": a bind mount needs source=");
                    result.Add(Bind(source, target, readOnly ? ["ro"] : [], mount));
                    break;
                case "tmpfs":
                    var options = new List<string>();
                    if (fields.TryGetValue("tmpfs-size", out string? size))
                    {
                        options.Add("size=" + size);
                    }

                    if (readOnly)
                    {
                        options.Add("ro");
                    }

                    result.Add(new ContainerMount("tmpfs", "tmpfs", target, null, options));
                    break;
                default:
                    throw SkiffException.InvalidArgument($"mount type \"{type}\" is not supported yet", "use type=bind or type=tmpfs");
            }
        }

        foreach (string entry in tmpfs)
        {
            string[] parts = entry.Split(':', 2);
            if (!parts[0].StartsWith('/'))
            {
                throw SkiffException.InvalidArgument($"invalid tmpfs \"{entry}\": the path must be absolute");
            }

            result.Add(new ContainerMount("tmpfs", "tmpfs", parts[0], null, parts.Length == 2 ? parts[1].Split(',') : []));
        }

        return result;
    }

    private static ContainerMount Bind(string source, string target, IReadOnlyList<string> options, string spec)
    {
        string full = Path.GetFullPath(source);
        if (!Path.Exists(full))
        {
            throw SkiffException.NotFound($"invalid volume \"{spec}\": the source path \"{full}\" does not exist");
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
                case "private" or "rprivate" or "shared" or "rshared" or "slave" or "rslave":
                    mountOptions.Add(option);
                    break;
                default:
                    throw SkiffException.InvalidArgument($"invalid volume option \"{option}\" in \"{spec}\"", "use ro, rw or a propagation mode");
            }
        }

        return new ContainerMount("bind", full, target, null, mountOptions);
    }
}
