namespace Skiff.Cli.Output;

/// <summary>The result of looking up a missing map key in a template: printed as Go prints it, <c>&lt;no value&gt;</c>.</summary>
public sealed class MissingValue
{
    private MissingValue()
    {
    }

    public static MissingValue Instance { get; } = new();

    public override string ToString() => "<no value>";
}
