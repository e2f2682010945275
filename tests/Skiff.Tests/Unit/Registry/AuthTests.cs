using System.Text;
using Skiff.Core.Errors;
using Skiff.Images.Registry.Auth;

namespace Skiff.Tests.Unit.Registry;

public sealed class AuthTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("skiff-auth").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Reads_docker_config_with_url_keys_and_base64_auth()
    {
        string path = Path.Combine(dir, "config.json");
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:pa:ss"));
        File.WriteAllText(path, $$$"""{"auths": {"https://index.docker.io/v1/": {"auth": "{{{auth}}}"}}, "credsStore": "x"}""");
        Credentials? found = AuthFile.Read(path).Get("docker.io");
        Assert.Equal(new Credentials("bob", "pa:ss"), found);
    }

    [Fact]
    public void Most_specific_key_wins_and_explicit_creds_win_over_files()
    {
        string path = Path.Combine(dir, "auth.json");
        AuthFile file = AuthFile.Read(path);
        file.Set("reg.example", new Credentials("host", "1"));
        file.Set("reg.example/team", new Credentials("team", "2"));
        file.Save();

        var locations = AuthFileLocations.Resolve(path, new Dictionary<string, string?>(), rootless: false, 0);
        Assert.Equal("team", new CredentialStore(locations).Find("reg.example/team/app")!.Username);
        Assert.Equal("host", new CredentialStore(locations).Find("reg.example/other/app")!.Username);
        Assert.Null(new CredentialStore(locations).Find("else.example/app"));
        Assert.Equal("cli", new CredentialStore(locations, new Credentials("cli", "3")).Find("reg.example/team/app")!.Username);
    }

    [Fact]
    public void Saved_file_is_private_and_keeps_unknown_fields()
    {
        string path = Path.Combine(dir, "sub", "auth.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """{"auths": {}, "credHelpers": {"x.example": "helper"}}""");
        AuthFile file = AuthFile.Read(path);
        file.Set("reg.example", new Credentials("u", "p"));
        file.Save();

        Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(path) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.Contains("credHelpers", File.ReadAllText(path));
        Assert.True(AuthFile.Read(path).Remove("reg.example"));
        Assert.False(AuthFile.Read(path).Remove("other.example"));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"auths": []}""")]
    [InlineData("""{"auths": {"r.example": {"auth": "***"}}}""")]
    public void Damaged_files_are_one_clear_error(string content)
    {
        string path = Path.Combine(dir, "bad.json");
        File.WriteAllText(path, content);
        SkiffException e = Assert.Throws<SkiffException>(() => AuthFile.Read(path).Get("r.example"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Locations_follow_podman_order()
    {
        var env = new Dictionary<string, string?> { ["HOME"] = "/home/u", ["XDG_RUNTIME_DIR"] = "/run/user/1000" };
        AuthFileLocations rootless = AuthFileLocations.Resolve(null, env, rootless: true, 1000);
        Assert.Equal(["/run/user/1000/containers/auth.json", "/home/u/.config/containers/auth.json", "/home/u/.docker/config.json"], rootless.ReadOrder);
        Assert.Equal("/run/user/1000/containers/auth.json", rootless.WriteTarget);

        env[AuthFileLocations.EnvironmentVariable] = "/tmp/a.json";
        AuthFileLocations fromEnv = AuthFileLocations.Resolve(null, env, rootless: true, 1000);
        Assert.Equal(["/tmp/a.json"], fromEnv.ReadOrder);
        Assert.Equal("/tmp/flag.json", AuthFileLocations.Resolve("/tmp/flag.json", env, rootless: true, 1000).WriteTarget);
    }

    [Fact]
    public void Creds_flag_splits_at_the_first_colon()
    {
        Assert.Equal(new Credentials("u", "p:q"), Credentials.ParseFlag("u:p:q"));
        Assert.Equal(new Credentials("u", string.Empty), Credentials.ParseFlag("u"));
        Assert.Throws<SkiffException>(() => Credentials.ParseFlag(":p"));
    }

    [Fact]
    public void Challenges_parse_quoted_parameters()
    {
        AuthChallenge c = AuthChallenge.Parse("Bearer", "realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\",error=invalid_token");
        Assert.True(c.IsBearer);
        Assert.Equal("https://auth.example/token", c.Realm);
        Assert.Equal("registry.example", c.Service);
        Assert.Equal("repository:a/b:pull,push", c.Scope);
        Assert.Equal("invalid_token", c.Parameters["error"]);
        Assert.Equal("Registry \"x\"", AuthChallenge.Parse("Basic", "realm=\"Registry \\\"x\\\"\"").Realm);
    }
}
