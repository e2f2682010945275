namespace Skiff.Tests.Support;

/// <summary>
/// Tests that create user-defined networks run one after another: as root, a network's bridge name (skiffN) and
/// subnet are chosen from the devices and routes that exist, and a bridge appears only when the first container
/// starts, so two test stores creating networks at once pick the same bridge and subnet and see each other's containers.
/// </summary>
[CollectionDefinition(Name)]
public sealed class UserNetworkCollection
{
    public const string Name = "User networks";
}
