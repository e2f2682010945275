namespace Skiff.Cli.Completion;

/// <summary>What a positional argument or a flag's value completes to.</summary>
public enum ValueKind
{
    None,
    Image,
    Container,
    ImageOrContainer,
    File,
    Choices,
}
