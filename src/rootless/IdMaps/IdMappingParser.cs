using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Core.IdMaps;

namespace Skiff.Rootless.IdMaps;

/// <summary>Parses podman's <c>--uidmap</c>/<c>--gidmap</c> value <c>CONTAINER:HOST:SIZE</c>.</summary>
public static class IdMappingParser
{
    public static IdMapping Parse(string flag, string value)
    {
        string[] parts = value.Split(':');
        if (parts.Length != 3
            || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint container)
            || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint host)
            || !uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint size)
            || size == 0
            || (ulong)container + size > uint.MaxValue
            || (ulong)host + size > uint.MaxValue)
        {
            throw SkiffException.InvalidArgument(
                $"invalid {flag} \"{value}\"",
                $"use {flag} CONTAINER_ID:HOST_ID:SIZE with numbers, e.g. {flag} 0:100000:65536");
        }

        return new IdMapping(container, host, size);
    }

    /// <summary>All values of one flag; overlapping container ranges are refused as the kernel would.</summary>
    public static IReadOnlyList<IdMapping> ParseAll(string flag, IReadOnlyList<string> values)
    {
        var mappings = values.Select(v => Parse(flag, v)).ToList();
        for (int i = 0; i < mappings.Count; i++)
        {
            for (int j = i + 1; j < mappings.Count; j++)
            {
                if (Overlap(mappings[i].ContainerId, mappings[j].ContainerId, mappings[i].Size, mappings[j].Size)
                    || Overlap(mappings[i].HostId, mappings[j].HostId, mappings[i].Size, mappings[j].Size))
                {
                    throw SkiffException.InvalidArgument(
                        $"{flag} {values[i]} overlaps {values[j]}",
                        "give each container id and each host id at most once");
                }
            }
        }

        return mappings;
    }

    private static bool Overlap(uint a, uint b, uint sizeA, uint sizeB) => a < (ulong)b + sizeB && b < (ulong)a + sizeA;
}
