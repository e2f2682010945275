using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Secrets;

namespace Skiff.Tests.Unit.Secrets;

/// <summary>The on-disk secret store: unique names, lookups by name and id, owner-only files, nothing half-made left.</summary>
public sealed class SecretStoreTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("skiff-secrets-");

    public void Dispose() => root.Delete(recursive: true);

    private SecretStore Store() => new(root.FullName);

    [Fact]
    public void Creates_a_secret_that_lists_and_reads_back()
    {
        SecretStore store = Store();
        SecretRecord record = store.Create("db", "hunter2"u8, new Dictionary<string, string> { ["a"] = "b" });
        Assert.Matches("^[0-9a-f]{25}$", record.Id);
        Assert.Equal("file", record.Driver);
        Assert.Equal(store.SecretsDirectory, record.DriverOptions["path"]);
        Assert.Equal(record.CreatedAt, record.UpdatedAt);

        SecretRecord listed = Assert.Single(store.List());
        Assert.Equal(record.Id, listed.Id);
        Assert.Equal("b", listed.Labels["a"]);
        Assert.Equal("hunter2", Encoding.UTF8.GetString(store.ReadData(listed)));
    }

    [Fact]
    public void Finds_a_secret_by_name_full_id_and_id_prefix()
    {
        SecretStore store = Store();
        SecretRecord record = store.Create("db", "x"u8);
        Assert.Equal(record.Id, store.Get("db").Id);
        Assert.Equal(record.Id, store.Get(record.Id).Id);
        Assert.Equal(record.Id, store.Get(record.Id[..6]).Id);
        SkiffException e = Assert.Throws<SkiffException>(() => store.Get("nosuch"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("no secret with name or id \"nosuch\": no such secret", e.Message);
    }

    [Fact]
    public void A_name_is_taken_once()
    {
        SecretStore store = Store();
        store.Create("db", "one"u8);
        SkiffException e = Assert.Throws<SkiffException>(() => store.Create("db", "two"u8));
        Assert.Equal("db: secret name in use", e.Message);
        Assert.DoesNotContain("two", e.Message + e.Hint);
        Assert.Equal("one", Encoding.UTF8.GetString(store.ReadData(store.Get("db"))));
    }

    [Fact]
    public void Keeps_values_readable_by_the_owner_only()
    {
        SecretStore store = Store();
        store.Create("db", "x"u8);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.SecretsDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(store.SecretsDirectory, "db")));
        foreach (string file in Directory.EnumerateFiles(Path.Combine(store.SecretsDirectory, "db")))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(512000)]
    public void Refuses_values_out_of_podmans_bounds_and_leaves_nothing(int length)
    {
        SecretStore store = Store();
        SkiffException e = Assert.Throws<SkiffException>(() => store.Create("db", new byte[length]));
        Assert.Equal("secret data must be larger than 0 and less than 512000 bytes", e.Message);
        Assert.Empty(store.List());
    }

    [Fact]
    public void Removal_frees_the_name_and_leaves_no_staging_or_removed_entries()
    {
        SecretStore store = Store();
        SecretRecord first = store.Create("db", "one"u8);
        Assert.Equal(first.Id, store.Remove(first.Id[..5]).Id);
        Assert.Empty(store.List());
        Assert.Throws<SkiffException>(() => store.Remove("db"));
        SecretRecord second = store.Create("db", "two"u8);
        Assert.NotEqual(first.Id, second.Id);
        Assert.All(Directory.EnumerateFileSystemEntries(store.SecretsDirectory), entry => Assert.DoesNotContain(".creating-", entry));
        Assert.All(Directory.EnumerateFileSystemEntries(store.SecretsDirectory), entry => Assert.DoesNotContain(".removing-", entry));
    }

    [Fact]
    public void A_half_written_staging_directory_does_not_list()
    {
        SecretStore store = Store();
        store.Create("db", "x"u8);
        Directory.CreateDirectory(Path.Combine(store.SecretsDirectory, ".creating-other-1"));
        Directory.CreateDirectory(Path.Combine(store.SecretsDirectory, "empty"));
        Assert.Equal(["db"], store.List().Select(s => s.Name));
    }

    [Fact]
    public void Refuses_an_invalid_name_before_writing_anything()
    {
        SecretStore store = Store();
        Assert.Throws<SkiffException>(() => store.Create("../escape", "x"u8));
        Assert.False(Directory.Exists(Path.Combine(root.FullName, "escape")));
        Assert.Empty(store.List());
    }
}
