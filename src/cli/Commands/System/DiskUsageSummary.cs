using Skiff.Cli.Output;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// One row of <c>system df</c>: podman's dfSummary. Templates see <c>Size</c> and <c>Reclaimable</c> as text
/// (<c>2.141MB</c>, <c>12B (100%)</c>: go-units HumanSize, precision 4); <c>{{json .}}</c> and <c>--format json</c>
/// see the byte counts under the same names, as podman marshals RawSize and RawReclaimable.
/// </summary>
public sealed record DiskUsageSummary(string Type, int Total, int Active, long Size, long Reclaimable)
{
    public const string TypeName = "system.dfSummary";

    public const string DefaultTable = "table {{.Type}}\\t{{.Total}}\\t{{.Active}}\\t{{.Size}}\\t{{.Reclaimable}}";

    public static readonly string[] Fields = ["Type", "Total", "Active", "Size", "Reclaimable", "RawSize", "RawReclaimable"];

    /// <summary>The percentage rounded half away from zero, 0 when nothing is used (podman's math.Round guard).</summary>
    public string ReclaimableText =>
        $"{Humanize.Size(Reclaimable, 4)} ({(Size > 0 ? (long)Math.Round(100.0 * Reclaimable / Size, MidpointRounding.AwayFromZero) : 0)}%)";

    public TemplateObject Row() => new(TypeName)
    {
        ["Type"] = Type,
        ["Total"] = (long)Total,
        ["Active"] = (long)Active,
        ["Size"] = Humanize.Size(Size, 4),
        ["Reclaimable"] = ReclaimableText,
        ["RawSize"] = Size,
        ["RawReclaimable"] = Reclaimable,
    };

    public TemplateObject Json() => new(TypeName)
    {
        ["Type"] = Type,
        ["Total"] = (long)Total,
        ["Active"] = (long)Active,
        ["Size"] = Size,
        ["Reclaimable"] = Reclaimable,
    };

    /// <summary>
    /// A row from each item's size and whether it is active: an image a container uses, a running container, a
    /// volume a container mounts. What is not active is reclaimable.
    /// </summary>
    public static DiskUsageSummary Of(string type, IReadOnlyCollection<(long Size, bool Active)> items) => new(
        type,
        items.Count,
        items.Count(i => i.Active),
        items.Sum(i => i.Size),
        items.Where(i => !i.Active).Sum(i => i.Size));
}
