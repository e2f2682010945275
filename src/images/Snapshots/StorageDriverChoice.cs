namespace Skiff.Images.Snapshots;

/// <summary>Which snapshotter is used and why (for <c>skiff info</c>: "configured", "probed", "cached probe", "not probed").</summary>
public sealed record StorageDriverChoice(string Name, string Source);
