namespace Skiff.Images.References;

/// <summary>Placeholder so the project builds before the image code lands; remove with the first real type.</summary>
internal static class AssemblyMarker
{
}
