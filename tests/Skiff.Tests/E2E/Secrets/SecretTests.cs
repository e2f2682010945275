using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Secrets;

/// <summary>podman 4.3's secrets through the published binary: the secret verbs and run/create --secret, root and rootless.</summary>
[Trait("Category", "E2E")]
public sealed class SecretTests(ITestOutputHelper output)
{
    private const string Value = "hunter2-s3cr3t";

    [Theory, RootAndRootless]
    public async Task Secret_verbs_create_list_inspect_and_remove_without_showing_values(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string file = Path.Combine(skiff.Sandbox.Work, "value");
        await File.WriteAllTextAsync(file, Value);
        if (rootless)
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        // Names that are not hex: a removed secret's name must not match another secret's id prefix (as podman, an
        // argument is a name, an id or an id prefix; "db" matched one id in 128 and removed that secret instead).
        string fromFile = (await skiff.RunAsync("secret", "create", "--label", "tier=db", "dbpass", file)).AssertSuccess().Stdout.Trim();
        Assert.Matches("^[0-9a-f]{25}$", fromFile);
        string fromStdin = (await skiff.RunAsync(["secret", "create", "api", "-"], "from-stdin")).AssertSuccess().Stdout.Trim();
        skiff.Environment["SKIFF_TEST_SECRET"] = "from-env";
        string fromEnv = (await skiff.RunAsync("secret", "create", "--env", "token", "SKIFF_TEST_SECRET")).AssertSuccess().Stdout.Trim();

        (await skiff.RunAsync("secret", "create", "dbpass", file)).AssertError(125, "dbpass: secret name in use");
        (await skiff.RunAsync("secret", "create", "bad/name", file)).AssertError(125, "bad/name: invalid secret name");
        (await skiff.RunAsync("secret", "create", "--driver", "pass", "other", file)).AssertError(125, "pass");
        (await skiff.RunAsync("secret", "create", "--env", "other", "SKIFF_TEST_UNSET_VARIABLE")).AssertError(125, "environment variable SKIFF_TEST_UNSET_VARIABLE is not set");
        (await skiff.RunAsync(["secret", "create", "empty", "-"], string.Empty)).AssertError(125, "secret data must be larger than 0");

        ProcessResult table = (await skiff.RunAsync("secret", "ls")).AssertSuccess();
        Assert.Matches("^ID +NAME +DRIVER +CREATED +UPDATED$", table.StdoutLines[0]);
        Assert.Equal(4, table.StdoutLines.Count);
        Assert.Equal(new[] { fromFile, fromStdin, fromEnv }.Order(StringComparer.Ordinal), (await skiff.RunAsync("secret", "ls", "-q")).AssertSuccess().StdoutLines.Order(StringComparer.Ordinal));
        Assert.Equal(["api file"], (await skiff.RunAsync("secret", "ls", "--filter", "name=ap", "--format", "{{.Name}} {{.Driver}}")).AssertSuccess().StdoutLines);
        Assert.Equal([fromFile], (await skiff.RunAsync("secret", "ls", "--noheading", "--filter", "id=" + fromFile[..8], "--format", "table {{.ID}}")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("secret", "ls", "--filter", "foo=bar")).AssertError(125, "invalid filter \"foo\"");

        ProcessResult inspected = (await skiff.RunAsync("secret", "inspect", "dbpass", fromStdin[..6])).AssertSuccess();
        using (JsonDocument inspect = JsonDocument.Parse(inspected.Stdout))
        {
            List<JsonElement> secrets = inspect.RootElement.EnumerateArray().ToList();
            Assert.Equal(2, secrets.Count);
            JsonElement db = secrets[0];
            Assert.Equal(["ID", "CreatedAt", "UpdatedAt", "Spec"], db.EnumerateObject().Select(p => p.Name));
            Assert.Equal(fromFile, db.GetProperty("ID").GetString());
            Assert.True(DateTimeOffset.TryParse(db.GetProperty("CreatedAt").GetString(), out _));
            JsonElement spec = db.GetProperty("Spec");
            Assert.Equal("dbpass", spec.GetProperty("Name").GetString());
            Assert.Equal("file", spec.GetProperty("Driver").GetProperty("Name").GetString());
            Assert.Equal(Path.Combine(skiff.Sandbox.StorageRoot, "secrets"), spec.GetProperty("Driver").GetProperty("Options").GetProperty("path").GetString());
            Assert.Equal("db", spec.GetProperty("Labels").GetProperty("tier").GetString());
            Assert.Equal("api", secrets[1].GetProperty("Spec").GetProperty("Name").GetString());
        }

        Assert.DoesNotContain(Value, inspected.Stdout + inspected.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("from-stdin", inspected.Stdout, StringComparison.Ordinal);
        Assert.Equal("dbpass " + fromFile + "\n", (await skiff.RunAsync("secret", "inspect", "--format", "{{.Spec.Name}} {{.ID}}", "dbpass")).AssertSuccess().Stdout);
        Assert.StartsWith("ID:              " + fromFile + "\nName:              dbpass\nDriver:            file\n", (await skiff.RunAsync("secret", "inspect", "--pretty", "dbpass")).AssertSuccess().Stdout);
        ProcessResult missing = await skiff.RunAsync("secret", "inspect", "dbpass", "nosuch");
        missing.AssertError(125, "inspecting secret: no secret with name or id \"nosuch\": no such secret");
        Assert.Contains(fromFile, missing.Stdout, StringComparison.Ordinal);

        // Only the owner reads the store; the value is there as given.
        string directory = Path.Combine(skiff.Sandbox.StorageRoot, "secrets");
        Assert.Equal("700 600 600", (await skiff.ExecAsync("stat", "-c", "%a", Path.Combine(directory, "dbpass"), Path.Combine(directory, "dbpass", "data"), Path.Combine(directory, "dbpass", "secret.json"))).AssertSuccess().Stdout.Replace('\n', ' ').Trim());
        Assert.Equal("700", (await skiff.ExecAsync("stat", "-c", "%a", directory)).AssertSuccess().Stdout.Trim());

        Assert.Equal([fromFile], (await skiff.RunAsync("secret", "rm", "dbpass")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("secret", "rm", "dbpass")).AssertError(125, "no secret with name or id \"dbpass\": no such secret");
        (await skiff.RunAsync("secret", "rm")).AssertError(125, "requires one argument, or the --all flag");
        Assert.Equal(new[] { fromStdin, fromEnv }.Order(StringComparer.Ordinal), (await skiff.RunAsync("secret", "rm", "--all")).AssertSuccess().StdoutLines.Order(StringComparer.Ordinal));
        // podman's header of an empty list, byte for byte.
        Assert.Equal("ID          NAME        DRIVER      CREATED     UPDATED\n", (await skiff.RunAsync("secret", "ls")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Run_mounts_secrets_read_only_with_their_owner_and_mode_and_sets_env_secrets(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync(["secret", "create", "db", "-"], Value)).AssertSuccess();
        (await skiff.RunAsync(["secret", "create", "api", "-"], "api-value")).AssertSuccess();

        // The default: /run/secrets/NAME, root's, 0444, read-only even for root.
        Assert.Equal(Value + "|0 0 444|ro\n", (await skiff.RunAsync("run", "--rm", "--secret", "db", "busybox", "sh", "-c",
            "printf '%s|' \"$(cat /run/secrets/db)\"; printf '%s|' \"$(stat -c '%u %g %a' /run/secrets/db)\"; if echo x > /run/secrets/db; then echo rw; else echo ro; fi")).AssertSuccess().Stdout);

        // A relative target under /run/secrets, an absolute one as given, an owner and a mode.
        Assert.Equal("5 6 400\n0 0 444\n" + Value + "\n", (await skiff.RunAsync("run", "--rm", "--secret", "db,target=sub/db,uid=5,gid=6,mode=0400", "--secret", "db,target=/etc/db.conf", "busybox", "sh", "-c",
            "stat -c '%u %g %a' /run/secrets/sub/db /etc/db.conf && cat /etc/db.conf && echo")).AssertSuccess().Stdout);

        // The same bundle under runc (crun refuses this machine's hybrid cgroups, secrets or not).
        foreach (string runtime in new[] { "runc" })
        {
            Assert.Equal(Value + "|5 6 400|ro|api-value\n", (await skiff.RunAsync("run", "--rm", "--runtime", runtime, "--secret", "db,uid=5,gid=6,mode=0400", "--secret", "api,type=env,target=API", "busybox", "sh", "-c",
                "printf '%s|' \"$(cat /run/secrets/db)\"; printf '%s|' \"$(stat -c '%u %g %a' /run/secrets/db)\"; if echo x > /run/secrets/db; then printf 'rw|'; else printf 'ro|'; fi; echo \"$API\"")).AssertSuccess().Stdout);
        }

        // env: the variable named by the target (the name by default), over an -e of the same name; no file.
        Assert.Equal("api-value|" + Value + "|none\n", (await skiff.RunAsync("run", "--rm", "-e", "DB_PASSWORD=plain", "--secret", "api,type=env", "--secret", "db,type=env,target=DB_PASSWORD", "busybox", "sh", "-c",
            "printf '%s|%s|' \"$api\" \"$DB_PASSWORD\"; test -e /run/secrets/db && echo file || echo none")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task A_container_keeps_its_copy_shows_no_value_in_inspect_and_refuses_missing_secrets(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string id = (await skiff.RunAsync(["secret", "create", "db", "-"], Value)).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync(["secret", "create", "api", "-"], "api-value")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "user", "--secret", "db,mode=0440,gid=7", "--secret", "api,type=env,target=API", "busybox", "sh", "-c", "cat /run/secrets/db; echo \" $API\"")).AssertSuccess();

        ProcessResult inspected = (await skiff.RunAsync("inspect", "user")).AssertSuccess();
        Assert.DoesNotContain(Value, inspected.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("api-value", inspected.Stdout, StringComparison.Ordinal);
        using (JsonDocument inspect = JsonDocument.Parse(inspected.Stdout))
        {
            // podman's Config.Secrets lists the mounted ones.
            JsonElement secret = Assert.Single(inspect.RootElement[0].GetProperty("Config").GetProperty("Secrets").EnumerateArray().ToList());
            Assert.Equal("db", secret.GetProperty("Name").GetString());
            Assert.Equal(id, secret.GetProperty("ID").GetString());
            Assert.Equal(0, secret.GetProperty("UID").GetInt32());
            Assert.Equal(7, secret.GetProperty("GID").GetInt32());
            Assert.Equal(288, secret.GetProperty("Mode").GetInt32());
        }

        // As podman 4.3: a secret in use may be removed; the container keeps its copy.
        (await skiff.RunAsync("secret", "rm", "db", "api")).AssertSuccess();
        Assert.Equal(Value + " api-value\n", (await skiff.RunAsync("start", "-a", "user")).AssertSuccess().Stdout);
        Assert.Equal(Value + " api-value\n", (await skiff.RunAsync("start", "-a", "user")).AssertSuccess().Stdout);

        // The mount point is the engine's, not a change of the container's; a commit holds no value.
        Assert.DoesNotContain("/run/secrets", (await skiff.RunAsync("diff", "user")).AssertSuccess().Stdout, StringComparison.Ordinal);
        (await skiff.RunAsync("commit", "-q", "user", "committed")).AssertSuccess();
        Assert.Equal("0\n", (await skiff.RunAsync("run", "--rm", "--entrypoint", "", "committed", "sh", "-c", "cat /run/secrets/db 2>/dev/null | wc -c")).AssertSuccess().Stdout);

        (await skiff.RunAsync("run", "--rm", "--name", "refused", "--secret", "nosuch", "busybox", "true")).AssertError(125, "no secret with name or id \"nosuch\": no such secret");
        (await skiff.RunAsync("create", "--name", "refused", "--secret", "db,type=bogus", "busybox", "true")).AssertError(125, "type bogus is invalid: parsing secret");
        (await skiff.RunAsync("create", "--name", "refused", "--secret", "x,type=env,uid=1", "busybox", "true")).AssertError(125, "UID, GID, Mode options cannot be set with secret type env");
        Assert.Equal(["user"], (await skiff.RunAsync("ps", "-a", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);
    }
}
