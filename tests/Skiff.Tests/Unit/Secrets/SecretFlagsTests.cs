using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Secrets;

/// <summary>run/create --secret, read as podman 4.3 reads it (its error texts checked against podman here).</summary>
public class SecretFlagsTests
{
    [Fact]
    public void A_bare_name_is_a_0444_root_file_under_run_secrets()
    {
        Assert.Equal(new ContainerSecret("db", string.Empty, "mount", "/run/secrets/db", 0, 0, 0x124), SecretFlags.Parse("db"));
    }

    [Fact]
    public void A_mount_takes_target_owner_and_octal_mode()
    {
        Assert.Equal(new ContainerSecret("db", string.Empty, "mount", "/run/secrets/foo", 5, 6, 0x100), SecretFlags.Parse("db,target=foo,uid=5,gid=6,mode=0400"));
        Assert.Equal("/run/secrets/a/b", SecretFlags.Parse("db,target=a/b").Target);
        Assert.Equal("/etc/foo", SecretFlags.Parse("db,type=mount,target=/etc/foo").Target);
        Assert.Equal(0x1edu, SecretFlags.Parse("db,mode=755").Mode);
    }

    [Fact]
    public void An_env_secret_names_its_variable_by_target_or_name()
    {
        Assert.Equal(new ContainerSecret("db", string.Empty, "env", "db", 0, 0, 0), SecretFlags.Parse("db,type=env"));
        Assert.Equal("FOO", SecretFlags.Parse("db,type=env,target=FOO").Target);
    }

    [Theory]
    [InlineData("db,type=bogus", "type bogus is invalid: parsing secret")]
    [InlineData("db,foo=bar", "option foo=bar invalid: parsing secret")]
    [InlineData("db,uid=x", "UID x invalid: parsing secret")]
    [InlineData("db,gid=-1", "GID -1 invalid: parsing secret")]
    [InlineData("db,mode=999", "mode 999 invalid: parsing secret")]
    [InlineData("db,mode=", "mode  invalid: parsing secret")]
    [InlineData("db,mode=77777", "mode 77777 invalid: parsing secret")]
    [InlineData("db,type=env,uid=5", "UID, GID, Mode options cannot be set with secret type env: parsing secret")]
    [InlineData("db,type=env,mode=0400", "UID, GID, Mode options cannot be set with secret type env: parsing secret")]
    public void Refuses_what_podman_refuses(string value, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => SecretFlags.Parse(value));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",type=env")]
    [InlineData("type=env")]
    public void Needs_a_name_first(string value)
    {
        Assert.Throws<SkiffException>(() => SecretFlags.Parse(value));
    }
}
