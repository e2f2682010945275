namespace Skiff.Images.Files;

/// <summary>One name in a directory listing (never "." or "..").</summary>
public readonly record struct DirectoryEntry(string Name, FileKind? Kind);
