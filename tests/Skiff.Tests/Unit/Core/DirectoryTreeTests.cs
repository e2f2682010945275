using Skiff.Core.Files;

namespace Skiff.Tests.Unit.Core;

public sealed class DirectoryTreeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-tree-").FullName;

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Deletes_a_tree_and_tolerates_one_that_is_gone()
    {
        string tree = Path.Combine(_dir, "a");
        Directory.CreateDirectory(Path.Combine(tree, "b", "c"));
        File.WriteAllText(Path.Combine(tree, "b", "f"), "x");

        DirectoryTree.TryDelete(tree);
        DirectoryTree.TryDelete(tree);
        DirectoryTree.TryDelete(Path.Combine(_dir, "never"));

        Assert.False(Directory.Exists(tree));
        Assert.True(Directory.Exists(_dir));
    }
}
