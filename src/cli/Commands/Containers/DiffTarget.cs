namespace Skiff.Cli.Commands.Containers;

/// <summary>What <c>diff</c> looks up its argument as: <c>skiff diff</c> a container, else an image; <c>container diff</c> and <c>image diff</c> one kind.</summary>
public enum DiffTarget
{
    Either,
    Container,
    Image,
}
