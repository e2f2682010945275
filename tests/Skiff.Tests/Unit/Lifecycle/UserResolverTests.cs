using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

public sealed class UserResolverTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/sh\n# comment\napp:x:1000:1000:app:/home/app:/bin/sh\nbroken\nnohome:x:1001:1001::\n";
    private const string Group = "root:x:0:\nwheel:x:10:root,app\napp:x:1000:\nextra:x:2000:app\nother:x:3000:root\n";

    [Fact]
    public void Default_user_is_root_with_roots_groups_and_home()
    {
        ContainerUser user = UserResolver.Resolve(string.Empty, [], Passwd, Group);
        Assert.Equal((0u, 0u, "/root"), Tuple(user));
        Assert.Equal([10u, 3000u], user.AdditionalGids);
    }

    [Fact]
    public void Name_resolves_uid_gid_home_and_supplementary_groups()
    {
        ContainerUser user = UserResolver.Resolve("app", [], Passwd, Group);
        Assert.Equal((1000u, 1000u, "/home/app"), (user.Uid, user.Gid, user.Home));
        // podman: a given user's primary group is a supplementary one too.
        Assert.Equal([1000u, 10u, 2000u], user.AdditionalGids);
        Assert.Equal([0u, 10u, 3000u], UserResolver.Resolve("root", [], Passwd, Group).AdditionalGids);
        Assert.Equal([0u], UserResolver.Resolve("0:0", [], Passwd, Group).AdditionalGids);
        Assert.Equal([0u], UserResolver.Resolve("1234", [], Passwd, Group).AdditionalGids);
    }

    [Fact]
    public void Explicit_group_replaces_the_primary_group_and_membership()
    {
        ContainerUser user = UserResolver.Resolve("app:extra", ["wheel", "4000"], Passwd, Group);
        Assert.Equal((1000u, 2000u), (user.Uid, user.Gid));
        Assert.Equal([2000u, 10u, 4000u], user.AdditionalGids);
        Assert.Equal(5u, UserResolver.Resolve("app:5", [], Passwd, Group).Gid);
    }

    [Fact]
    public void Numeric_uid_without_entry_gets_gid_0_and_home_slash()
    {
        Assert.Equal((1234u, 0u, "/"), Tuple(UserResolver.Resolve("1234", [], Passwd, Group)));
        Assert.Equal((1000u, 1000u, "/home/app"), Tuple(UserResolver.Resolve("1000", [], Passwd, Group)));
        Assert.Equal((1001u, 1001u, "/"), Tuple(UserResolver.Resolve("nohome", [], Passwd, Group)));
        Assert.Equal((7u, 8u, "/"), Tuple(UserResolver.Resolve("7:8", [], null, null)));
    }

    [Fact]
    public void Unknown_names_are_errors_with_podmans_words()
    {
        SkiffException user = Assert.Throws<SkiffException>(() => UserResolver.Resolve("nobody", [], Passwd, Group));
        Assert.Equal("unable to find user nobody: no matching entries in passwd file", user.Message);
        SkiffException group = Assert.Throws<SkiffException>(() => UserResolver.Resolve("app:nogroup", [], Passwd, Group));
        Assert.Equal("unable to find group nogroup: no matching entries in group file", group.Message);
        // Found at start, they fail it as podman does: run exits 126.
        Assert.Equal(ErrorKind.CannotExecute, user.Kind);
        Assert.Equal(ErrorKind.CannotExecute, group.Kind);
        Assert.Throws<SkiffException>(() => UserResolver.Resolve("0", ["missing"], Passwd, Group));
        Assert.Throws<SkiffException>(() => UserResolver.Resolve("app", [], null, null));
    }

    [Fact]
    public void Keep_groups_adds_no_group_and_is_exclusive_and_needs_a_runtime_that_keeps_them()
    {
        Assert.Equal([1000u, 10u, 2000u], UserResolver.Resolve("app", [KeepGroups.Flag], Passwd, Group).AdditionalGids);
        Assert.False(UserResolver.NeedsLookup("1", [KeepGroups.Flag]));
        Assert.True(KeepGroups.Requested(new Dictionary<string, string> { [KeepGroups.Annotation] = "1" }));
        Assert.False(KeepGroups.Requested((IReadOnlyDictionary<string, string>?)null));

        KeepGroups.Validate([KeepGroups.Flag], "skiff", "skiff");
        KeepGroups.Validate([KeepGroups.Flag], "/usr/bin/crun", "skiff");
        KeepGroups.Validate(["10", "wheel"], "/usr/sbin/runc", "skiff");
        SkiffException combined = Assert.Throws<SkiffException>(() => KeepGroups.Validate([KeepGroups.Flag, "10"], "skiff", "skiff"));
        Assert.Equal("the '--group-add keep-groups' option is not allowed with any other --group-add options", combined.Message);
        Assert.Contains("runc", Assert.Throws<SkiffException>(() => KeepGroups.Validate([KeepGroups.Flag], "/usr/sbin/runc", "skiff")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lookup_is_needed_only_for_names()
    {
        Assert.False(UserResolver.NeedsLookup(string.Empty, []));
        Assert.False(UserResolver.NeedsLookup("1:2", ["3"]));
        Assert.True(UserResolver.NeedsLookup("app", []));
        Assert.True(UserResolver.NeedsLookup("1:wheel", []));
        Assert.True(UserResolver.NeedsLookup("1", ["wheel"]));
    }

    [Fact]
    public void Account_files_are_read_inside_the_root_only_and_only_when_regular_and_small()
    {
        DirectoryInfo root = Directory.CreateTempSubdirectory("skiff-rooted");
        string outside = Path.Combine(Path.GetTempPath(), $"skiff-outside-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(outside, "secret:x:4242:4242::/secret:/bin/sh\n");
            Directory.CreateDirectory(Path.Combine(root.FullName, "etc"));
            File.CreateSymbolicLink(Path.Combine(root.FullName, "etc", "passwd"), outside);
            File.CreateSymbolicLink(Path.Combine(root.FullName, "etc", "group"), "../../../../../../../../.." + outside);
            Assert.Contains("symlink to nothing", Assert.Throws<SkiffException>(() => RootedFile.TryReadAll(root.FullName, "/etc/passwd", 1024)).Message);
            Assert.Contains("symlink to nothing", Assert.Throws<SkiffException>(() => RootedFile.TryReadAll(root.FullName, "/etc/group", 1024)).Message);
            Assert.Throws<SkiffException>(() => ContainerUsers.Resolve(root.FullName, "secret", []));
            Assert.Null(RootedFile.TryReadAll(root.FullName, "/etc/shadow", 1024));

            File.Delete(Path.Combine(root.FullName, "etc", "passwd"));
            File.CreateSymbolicLink(Path.Combine(root.FullName, "etc", "passwd"), "/proc/self/root" + outside);
            Assert.Throws<SkiffException>(() => RootedFile.TryReadAll(root.FullName, "/etc/passwd", 1024));

            File.Delete(Path.Combine(root.FullName, "etc", "passwd"));
            Assert.Equal(0, Mkfifo(Path.Combine(root.FullName, "etc", "passwd")));
            Assert.Contains("not a regular file", Assert.Throws<SkiffException>(() => RootedFile.TryReadAll(root.FullName, "/etc/passwd", 1024)).Message);

            File.Delete(Path.Combine(root.FullName, "etc", "passwd"));
            File.WriteAllBytes(Path.Combine(root.FullName, "etc", "passwd"), new byte[2048]);
            Assert.Contains("larger than", Assert.Throws<SkiffException>(() => RootedFile.TryReadAll(root.FullName, "/etc/passwd", 1024)).Message);
            Assert.Equal(2048, RootedFile.TryReadAll(root.FullName, "/etc/passwd", 2048)!.Length);
        }
        finally
        {
            root.Delete(recursive: true);
            File.Delete(outside);
        }
    }

    private static (uint, uint, string) Tuple(ContainerUser user) => (user.Uid, user.Gid, user.Home);

    private static int Mkfifo(string path)
    {
        using var process = System.Diagnostics.Process.Start("mkfifo", [path]);
        process.WaitForExit();
        return process.ExitCode;
    }
}
