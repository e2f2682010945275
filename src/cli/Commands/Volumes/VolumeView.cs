using Skiff.Cli.Output;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.Volumes;

/// <summary>A volume as podman shows it: the fields of <c>volume inspect</c>, also the row of <c>volume ls</c>.</summary>
public static class VolumeView
{
    public const string TypeName = "volumes.volumeReporter";

    public const string DefaultTable = "table {{.Driver}}\t{{.Name}}";

    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["Name"] = "VOLUME NAME",
    };

    public static readonly string[] Fields = ["Name", "Driver", "Mountpoint", "CreatedAt", "Labels", "Scope", "Options", "MountCount", "NeedsCopyUp", "NeedsChown"];

    public static TemplateObject Build(VolumeRecord record, VolumeStore store, int mountCount) => new(TypeName)
    {
        ["Name"] = record.Name,
        ["Driver"] = record.Driver,
        ["Mountpoint"] = store.DataPath(record.Name),
        ["CreatedAt"] = record.CreatedAt,
        ["Labels"] = TemplateMap.OfStrings(record.Labels),
        ["Scope"] = "local",
        ["Options"] = TemplateMap.OfStrings(record.Options),
        ["MountCount"] = (ulong)mountCount,
        ["NeedsCopyUp"] = record.NeedsCopyUp,
        ["NeedsChown"] = record.NeedsCopyUp,
    };
}
