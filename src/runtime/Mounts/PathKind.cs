namespace Skiff.Runtime.Mounts;

/// <summary>What a path is, without following it further than stat does.</summary>
public enum PathKind
{
    Missing,
    Directory,
    Other,
}
