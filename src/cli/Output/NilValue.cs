namespace Skiff.Cli.Output;

/// <summary>
/// A typed Go nil: JSON <c>null</c>, but printed by templates as its type prints an empty value
/// (<c>[]</c> for a nil slice such as an unset Entrypoint, <c>map[]</c> for a nil map).
/// </summary>
public sealed class NilValue
{
    private NilValue(string printed)
    {
        Printed = printed;
    }

    public static NilValue List { get; } = new("[]");

    public static NilValue Map { get; } = new("map[]");

    public string Printed { get; }

    public override string ToString() => Printed;
}
