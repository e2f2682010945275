using System.Text.Json;
using System.Text.RegularExpressions;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.SystemVerbs;

/// <summary>skiff events: the store's event log as podman 4.3's file backend prints it (root and rootless).</summary>
[Trait("Category", "E2E")]
public sealed partial class EventsTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Every_verb_records_its_events_in_order(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string since = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'");

        string id = (await skiff.RunAsync("create", "--name", "c1", "--label", "a=b", "busybox", "sleep", "100")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("start", "c1")).AssertSuccess();
        (await skiff.RunAsync("exec", "c1", "true")).AssertSuccess();
        (await skiff.RunAsync("stop", "-t", "0", "c1")).AssertSuccess();
        (await skiff.RunAsync("rename", "c1", "c2")).AssertSuccess();
        (await skiff.RunAsync("rm", "c2")).AssertSuccess();
        (await skiff.RunAsync("run", "--rm", "--name", "r", "busybox", "sh", "-c", "exit 3")).AssertExitCode(3);
        // `run` returns once the exit is reported; the monitor's clean-up (and its events) may still be under way.
        await Poll.UntilAsync(async () => (await skiff.RunAsync("events", "--stream=false", "--since", since, "--filter", "event=remove", "--filter", "container=r")).StdoutLines.Count == 1);
        (await skiff.RunAsync("volume", "create", "v1")).AssertSuccess();
        (await skiff.RunAsync("volume", "rm", "v1")).AssertSuccess();
        (await skiff.RunAsync("network", "create", "n1")).AssertSuccess();
        (await skiff.RunAsync("network", "rm", "n1")).AssertSuccess();
        (await skiff.RunAsync("tag", "busybox", "other")).AssertSuccess();
        (await skiff.RunAsync("untag", "busybox", "other")).AssertSuccess();

        ProcessResult all = (await skiff.RunAsync("events", "--stream=false", "--since", since, "--format", "{{.Type}} {{.Status}} {{.Name}} {{.ContainerExitCode}}")).AssertSuccess();
        Assert.Equal(
            [
                "container create c1 0", "container init c1 0", "container start c1 0",
                "container exec c1 0", "container exec_died c1 0",
                "container died c1 137", "container cleanup c1 0", "container stop c1 0",
                "container rename c2 0", "container remove c2 0",
                "container create r 0", "container init r 0", "container start r 0", "container attach r 0",
                "container died r 3", "container cleanup r 0", "container remove r 0",
                "volume create v1 0", "volume remove v1 0", "network create n1 0", "network remove n1 0",
                "image tag other 0", "image untag localhost/other:latest 0",
            ],
            all.StdoutLines);

        // podman's default line, labels after the image and name.
        ProcessResult created = (await skiff.RunAsync("events", "--stream=false", "--since", since, "--filter", "event=create", "--filter", "container=" + id[..12])).AssertSuccess();
        string line = Assert.Single(created.StdoutLines);
        Assert.Matches(DefaultLine(), line);
        Assert.EndsWith($" UTC container create {id} (image=localhost/busybox:latest, name=c1, a=b)", line, StringComparison.Ordinal);

        // JSON Lines with podman's field names; the exit code is left out when it is 0.
        ProcessResult json = (await skiff.RunAsync("events", "--stream=false", "--since", since, "--format", "json", "--filter", "event=died")).AssertSuccess();
        Assert.Equal(2, json.StdoutLines.Count);
        using JsonDocument died = JsonDocument.Parse(json.StdoutLines[1]);
        Assert.Equal(3, died.RootElement.GetProperty("ContainerExitCode").GetInt32());
        Assert.Equal("r", died.RootElement.GetProperty("Name").GetString());
        Assert.Equal("container", died.RootElement.GetProperty("Type").GetString());

        Assert.Equal(["image tag other"], (await skiff.RunAsync("events", "--stream=false", "--since", since, "--filter", "type=image", "--filter", "event=tag", "--format", "{{.Type}} {{.Status}} {{.Name}}")).AssertSuccess().StdoutLines);
        // --until alone: the past up to then, and no following.
        Assert.Equal(["image import busybox"], (await skiff.RunAsync("events", "--until", since, "--format", "{{.Type}} {{.Status}} {{.Name}}")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("events", "--stream=false", "--filter", "nope=1")).AssertError(125, "nope=1 is an invalid filter");
    }

    [Theory, RootAndRootless]
    public async Task Volumes_prunes_healthchecks_and_export_record_what_podman_4_3_records(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string since = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'");

        (await skiff.RunAsync("run", "--name", "anon", "-v", "/data", "busybox", "true")).AssertSuccess();
        (await skiff.RunAsync("rm", "-v", "anon")).AssertSuccess();
        (await skiff.RunAsync("run", "--rm", "--name", "gone", "-v", "/data", "busybox", "true")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("events", "--stream=false", "--since", since, "--filter", "type=volume", "--filter", "event=remove")).StdoutLines.Count == 2);
        (await skiff.RunAsync("volume", "create", "pv")).AssertSuccess();
        (await skiff.RunAsync("volume", "prune", "-f")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "ex", "busybox", "true")).AssertSuccess();
        (await skiff.RunAsync("export", "-o", Path.Combine(skiff.Sandbox.Work, "ex.tar"), "ex")).AssertSuccess();
        (await skiff.RunAsync("container", "prune", "-f")).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", "hc", "--health-cmd", "true", "--health-interval", "1h", "busybox", "sleep", "100")).AssertSuccess();
        (await skiff.RunAsync("healthcheck", "run", "hc")).AssertSuccess();
        (await skiff.RunAsync("rm", "-f", "-t", "0", "hc")).AssertSuccess();

        IReadOnlyList<string> volumes = (await skiff.RunAsync("events", "--stream=false", "--since", since, "--filter", "type=volume", "--format", "{{.Status}} {{.Name}}")).AssertSuccess().StdoutLines;
        Assert.Equal(7, volumes.Count);
        string first = volumes[0]["create ".Length..], second = volumes[2]["create ".Length..];
        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.Equal([$"create {first}", $"remove {first}", $"create {second}", $"remove {second}", "create pv", "remove pv", "prune pv"], volumes);

        IReadOnlyList<string> containers = (await skiff.RunAsync("events", "--stream=false", "--since", since, "--filter", "event=mount", "--filter", "event=remove", "--filter", "event=health_status",
            "--filter", "type=container", "--format", "{{.Status}} {{.Name}} {{.HealthStatus}}")).AssertSuccess().StdoutLines;
        Assert.Equal(["remove anon ", "remove gone ", "mount ex ", "remove ex ", "health_status hc healthy", "remove hc "], containers);
        ProcessResult human = (await skiff.RunAsync("events", "--stream=false", "--since", since, "--filter", "event=health_status")).AssertSuccess();
        Assert.EndsWith("(image=localhost/busybox:latest, name=hc, health_status=healthy)", Assert.Single(human.StdoutLines), StringComparison.Ordinal);
    }

    [Theory, RootAndRootless]
    public async Task Image_prune_records_each_removal(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("create", "--name", "c", "busybox", "true")).AssertSuccess();
        string dangling = (await skiff.RunAsync("commit", "-q", "c", "localhost/d:1")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("commit", "-q", "c", "localhost/d:1")).AssertSuccess();
        (await skiff.RunAsync("rm", "c")).AssertSuccess();
        string since = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'");

        (await skiff.RunAsync("image", "prune", "-f")).AssertSuccess();

        string removed = Assert.Single((await skiff.RunAsync("events", "--stream=false", "--since", since, "--format", "{{.Type}} {{.Status}} {{.ID}}")).AssertSuccess().StdoutLines);
        Assert.Equal($"image remove {dangling.Replace("sha256:", string.Empty, StringComparison.Ordinal)}", removed);
    }

    [Theory, RootAndRootless]
    public async Task Events_follows_the_log_until_interrupted(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string since = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'");
        // The past event is printed first: once it is there the reader follows; the one made after must come too.
        const string script = """
            set -e
            bin=$1; shift
            out=$(mktemp)
            "$bin" "$@" volume create before >/dev/null
            "$bin" "$@" events --since "$SINCE" --filter type=volume --format '{{.Status}} {{.Name}}' > "$out" &
            ev=$!
            i=0; until grep -q 'create before' "$out"; do sleep 0.1; i=$((i+1)); [ $i -lt 600 ] || exit 3; done
            "$bin" "$@" volume create after >/dev/null
            i=0; until grep -q 'create after' "$out"; do sleep 0.1; i=$((i+1)); [ $i -lt 600 ] || exit 4; done
            kill $ev; wait $ev || true
            cat "$out"; rm -f "$out"
            """;
        ProcessResult run = (await skiff.ExecAsync("/bin/sh", ["-c", script.Replace("$SINCE", since, StringComparison.Ordinal), "sh", skiff.Binary, .. skiff.StoreFlags()], null, TimeSpan.FromSeconds(120))).AssertSuccess();
        Assert.Equal(["create before", "create after"], run.StdoutLines);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? \+0000 UTC container create [0-9a-f]{64} \(")]
    private static partial Regex DefaultLine();
}
