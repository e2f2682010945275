using Skiff.Cli.Output;
using Skiff.Runtime.Secrets;

namespace Skiff.Cli.Commands.Secrets;

/// <summary>A secret as podman 4.3 shows it: <c>secret inspect</c>'s record and <c>secret ls</c>'s row. Never the value.</summary>
public static class SecretView
{
    public const string InspectTypeName = "define.SecretInfoReport";

    public const string RowTypeName = "entities.SecretInfoReport";

    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}";

    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["CreatedAt"] = "CREATED",
        ["UpdatedAt"] = "UPDATED",
    };

    public static readonly string[] RowFields = ["ID", "Name", "Driver", "CreatedAt", "UpdatedAt"];

    /// <summary>podman's <c>secret inspect</c>: ID, CreatedAt, UpdatedAt, Spec{Name, Driver{Name, Options}, Labels}.</summary>
    public static TemplateObject Inspect(SecretRecord record) => new(InspectTypeName)
    {
        ["ID"] = record.Id,
        ["CreatedAt"] = record.CreatedAt,
        ["UpdatedAt"] = record.UpdatedAt,
        ["Spec"] = new TemplateObject("define.SecretSpec")
        {
            ["Name"] = record.Name,
            ["Driver"] = new TemplateObject("define.SecretDriverSpec")
            {
                ["Name"] = record.Driver,
                ["Options"] = TemplateMap.OfStrings(record.DriverOptions),
            },
            ["Labels"] = TemplateMap.OfStrings(record.Labels),
        },
    };

    /// <summary>podman's <c>secret ls</c> row: the times humanized ("5 seconds ago"), as its columns and templates show them.</summary>
    public static TemplateObject Row(SecretRecord record, DateTimeOffset now) => new(RowTypeName)
    {
        ["ID"] = record.Id,
        ["Name"] = record.Name,
        ["Driver"] = record.Driver,
        ["CreatedAt"] = Humanize.Ago(record.CreatedAt, now),
        ["UpdatedAt"] = Humanize.Ago(record.UpdatedAt, now),
    };

    /// <summary>The <c>--pretty</c> text of one secret, as podman 4.3 prints it.</summary>
    public static string Pretty(SecretRecord record) =>
        $"ID:              {record.Id}\n" +
        $"Name:              {record.Name}\n" +
        $"Driver:            {record.Driver}\n" +
        $"Created at:        {GoValues.FormatTime(record.CreatedAt)}\n" +
        $"Updated at:        {GoValues.FormatTime(record.UpdatedAt)}\n";
}
