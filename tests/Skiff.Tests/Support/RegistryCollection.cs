namespace Skiff.Tests.Support;

/// <summary>
/// One plain and one secure registry shared by every class in the collection (tests in a collection
/// run one after another). Use distinct repository names per test.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>, ICollectionFixture<SecureRegistryFixture>
{
    public const string Name = "Registry";
}
