namespace Skiff.Images.Building;

/// <summary>A parsed Containerfile: the instructions and the escape character its parser directive chose.</summary>
public sealed record Containerfile(IReadOnlyList<BuildInstruction> Instructions, char Escape);
