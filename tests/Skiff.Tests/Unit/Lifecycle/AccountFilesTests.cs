using Skiff.Runtime.Lifecycle;
using Xunit;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>podman 4.3's entries for a numeric --user the image lacks (checked against podman on this machine).</summary>
public sealed class AccountFilesTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
    private const string Group = "root:x:0:\nnogroup:x:65534:\n";

    [Fact]
    public void A_numeric_uid_without_an_entry_gets_podmans_lines()
    {
        (string? passwd, string? group) = AccountFiles.AddNumericUser(Passwd, Group, "2000", "/", null);
        Assert.Equal(Passwd + "2000:*:2000:0:container user:/:/bin/sh\n", passwd);
        // podman reads the uid as the group when none is given.
        Assert.Equal(Group + "2000:x:2000:2000\n", group);

        (passwd, group) = AccountFiles.AddNumericUser(Passwd, Group, "2000:3000", "/work", null);
        Assert.Equal(Passwd + "2000:*:2000:3000:container user:/work:/bin/sh\n", passwd);
        Assert.Equal(Group + "3000:x:3000:2000\n", group);
    }

    [Fact]
    public void Existing_entries_and_names_add_nothing()
    {
        Assert.Equal((null, null), AccountFiles.AddNumericUser(Passwd, Group, "65534", "/", null));
        Assert.Equal((null, null), AccountFiles.AddNumericUser(Passwd, Group, "0", "/", null));
        Assert.Equal((null, null), AccountFiles.AddNumericUser(Passwd, Group, "app", "/", null));
        Assert.Equal((null, null), AccountFiles.AddNumericUser(Passwd, Group, string.Empty, "/", null));

        // A named group is looked up for the passwd line and gets no group line.
        (string? passwd, string? group) = AccountFiles.AddNumericUser(Passwd, Group, "2000:nogroup", "/", null);
        Assert.Equal(Passwd + "2000:*:2000:65534:container user:/:/bin/sh\n", passwd);
        Assert.Null(group);

        // root exists; its new group does not.
        (passwd, group) = AccountFiles.AddNumericUser(Passwd, Group, "0:3000", "/", null);
        Assert.Null(passwd);
        Assert.Equal(Group + "3000:x:3000:0\n", group);

        // An unknown group name is the user resolver's error, not a line with a made-up gid.
        Assert.Null(AccountFiles.AddNumericUser(Passwd, Group, "2000:nosuch", "/", null).Passwd);
    }

    [Fact]
    public void Missing_files_start_empty_and_ids_keep_id_added_are_skipped()
    {
        Assert.Equal(("7:*:7:0:container user:/:/bin/sh\n", "7:x:7:7\n"), AccountFiles.AddNumericUser(null, null, "7", "/", null));
        Assert.Equal((null, null), AccountFiles.AddNumericUser(null, null, "1000:1000", "/", null, addedUid: 1000, addedGid: 1000));
        Assert.Equal("root:x:0:0::/root:/bin/sh\n9:*:9:0:container user:/:/bin/sh\n", AccountFiles.AddNumericUser("root:x:0:0::/root:/bin/sh", null, "9", "/", null).Passwd);
    }

    [Fact]
    public void Prepare_writes_the_copies_and_resolves_groups_as_podman()
    {
        string root = Directory.CreateTempSubdirectory("skiff-accounts-").FullName;
        try
        {
            string rootfs = Path.Combine(root, "rootfs");
            string directory = Path.Combine(root, "container");
            Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(rootfs, "etc", "passwd"), Passwd);
            File.WriteAllText(Path.Combine(rootfs, "etc", "group"), Group);
            ContainerConfig config = new() { Id = "c", Name = "c", Created = DateTimeOffset.UnixEpoch, Image = "i", Runtime = "r", User = "2000" };

            (string? passwd, string? group, IReadOnlyList<string> copies) = AccountFiles.Prepare(directory, rootfs, config);
            Assert.Equal(["passwd", "group"], copies);
            Assert.Equal(Passwd + "2000:*:2000:0:container user:/:/bin/sh\n", passwd);
            Assert.Equal(passwd, File.ReadAllText(Path.Combine(directory, "passwd")));
            Assert.Equal(Group + "2000:x:2000:2000\n", File.ReadAllText(Path.Combine(directory, "group")));
            // Resolved without the new group line: podman's `id` shows groups=0(root), not 2000 too.
            Assert.Equal(Group, group);
            Assert.Equal([0u], UserResolver.Resolve(config.User, [], passwd, group).AdditionalGids);

            Assert.Empty(AccountFiles.Prepare(directory, rootfs, config with { Passwd = false }).Copies);
            Assert.Empty(AccountFiles.Prepare(directory, rootfs, config with { User = "65534" }).Copies);
            Assert.Equal(["group"], AccountFiles.Prepare(directory, rootfs, config with { Mounts = [new ContainerMount("bind", "/x", "/etc/passwd", null, [])] }).Copies);
            Assert.Equal(Passwd, File.ReadAllText(Path.Combine(rootfs, "etc", "passwd")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Passwd_entry_templates_take_podmans_variables()
    {
        string? passwd = AccountFiles.AddNumericUser(Passwd, Group, "2000", "/tmp", "X$USERNAME:$UID:$GID:$HOME:$NAME").Passwd;
        Assert.Equal(Passwd + "X2000:2000:0:/tmp:container user\n", passwd);

        var account = new ContainerAccount("alice", 1001, 1002, "/home/alice");
        Assert.Equal("alice=1001=1002=alice=/home/alice\n", AccountFiles.Add(null, null, account, "$USERNAME=$UID=$GID=$NAME=$HOME").Passwd);
    }

    [Fact]
    public void Hostuser_lines_are_podmans_and_skip_accounts_the_image_has()
    {
        const string Alice = "alice:1001:1002:Alice A:/home/alice";
        Assert.Equal("alice:*:1001:1002:Alice A:/home/alice:/bin/sh", AccountFiles.HostUserEntry(Passwd, Alice, "/work", path => path == "/home"));
        Assert.Equal("alice:*:1001:1002:Alice A:/work:/bin/sh", AccountFiles.HostUserEntry(Passwd, Alice, "/work", _ => false));
        Assert.Null(AccountFiles.HostUserEntry(Passwd, "root:0:0:root:/root", "/", _ => true));
        Assert.Null(AccountFiles.HostUserEntry("alice:x:5:5::/:/bin/sh\n", Alice, "/", _ => true));
        Assert.Null(AccountFiles.HostUserEntry("bob:x:1001:5::/:/bin/sh\n", Alice, "/", _ => true));
    }
}
