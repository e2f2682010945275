using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Images;

/// <summary>
/// skiff build over real containers: every instruction, the image's config and history as podman 4.3 writes them,
/// the built image run, a failing RUN (its exit code, podman's message, nothing left behind), .dockerignore,
/// COPY that tries to leave the context, --build-arg and -f -.
/// </summary>
[Trait("Category", "E2E")]
public sealed class BuildTests(ITestOutputHelper output)
{
    private const string Everything = """
        ARG BASE=busybox
        FROM $BASE
        ARG GREETING=hi
        ENV A=1 B="two words"
        LABEL l1=v1 "l 2"=v2
        WORKDIR /app
        COPY a.txt ./
        COPY --chown=7:8 sub /app/sub/
        ADD a.txt /x/
        ADD files.tar /unpacked
        RUN echo $GREETING $A "$B" > /app/out && \
            cat a.txt >> /app/out
        USER 1:1
        EXPOSE 80 53/udp
        VOLUME /data
        STOPSIGNAL SIGTERM
        HEALTHCHECK --interval=5s CMD true
        ONBUILD RUN echo onbuild
        SHELL ["/bin/sh", "-c"]
        ENTRYPOINT ["/bin/sh", "-c"]
        CMD ["cat /app/out"]
        """;

    [Theory, RootAndRootless]
    public async Task Builds_every_instruction_into_an_image_that_runs(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string context = Context(skiff, ("Containerfile", Everything), ("a.txt", "hello\n"), ("sub/s.txt", "s\n"));
        await File.WriteAllBytesAsync(Path.Combine(context, "files.tar"), TarOf(("in-tar.txt", "t\n")));

        ProcessResult built = (await skiff.RunAsync(["build", "-t", "app", "-t", "app:v2", "--build-arg", "GREETING=hey", "--label", "cli=1", context], (byte[]?)null, TimeSpan.FromSeconds(240))).AssertSuccess();
        IReadOnlyList<string> lines = built.StdoutLines;
        Assert.Equal("STEP 1/19: FROM busybox", lines[0]);
        Assert.Contains("STEP 10/19: RUN echo $GREETING $A \"$B\" > /app/out &&     cat a.txt >> /app/out", lines);
        Assert.Contains("COMMIT app", lines);
        Assert.Contains("Successfully tagged localhost/app:latest", lines);
        Assert.Contains("Successfully tagged localhost/app:v2", lines);
        Assert.Matches("^[0-9a-f]{64}$", lines[^1]);
        Assert.Matches("^--> [0-9a-f]{11}$", lines[2]);
        Assert.Contains("HEALTHCHECK is not supported for OCI image format", built.Stderr, StringComparison.Ordinal);

        // The steps' images and containers are gone: only busybox and app remain.
        Assert.Equal(2, (await skiff.RunAsync("images", "-q")).AssertSuccess().StdoutLines.Distinct().Count());
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);
        Assert.Empty((await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines);

        Assert.Equal("hey 1 two words\nhello\n", (await skiff.RunAsync("run", "--rm", "app")).AssertSuccess().Stdout);
        Assert.Equal(
            "7:8 7:8\nhello\nt\n/app\n",
            (await skiff.RunAsync("run", "--rm", "--user", "0", "app", "stat -c %u:%g /app/sub/s.txt /app/sub | xargs; cat /x/a.txt; cat /unpacked/in-tar.txt; pwd")).AssertSuccess().Stdout);

        using JsonDocument inspect = JsonDocument.Parse((await skiff.RunAsync("image", "inspect", "app")).AssertSuccess().Stdout);
        JsonElement image = inspect.RootElement[0];
        JsonElement config = image.GetProperty("Config");
        Assert.Equal("1:1", config.GetProperty("User").GetString());
        Assert.Equal("/app", config.GetProperty("WorkingDir").GetString());
        Assert.Equal("SIGTERM", config.GetProperty("StopSignal").GetString());
        Assert.Equal(["/bin/sh", "-c"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["cat /app/out"], config.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=1", "B=two words"],
            config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["53/udp", "80/tcp"], config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["/data"], config.GetProperty("Volumes").EnumerateObject().Select(p => p.Name));
        JsonElement labels = config.GetProperty("Labels");
        Assert.Equal("v1", labels.GetProperty("l1").GetString());
        Assert.Equal("v2", labels.GetProperty("l 2").GetString());
        Assert.Equal("1", labels.GetProperty("cli").GetString());
        Assert.False(image.TryGetProperty("Healthcheck", out _));

        // One layer per COPY, ADD and RUN over the base's one; every step in the history, podman's way.
        Assert.Equal(6, image.GetProperty("RootFS").GetProperty("Layers").GetArrayLength());
        var history = image.GetProperty("History").EnumerateArray().ToList();
        Assert.Equal(19, history.Count);
        Assert.Equal("/bin/sh -c #(nop) ARG GREETING", history[1].GetProperty("created_by").GetString());
        Assert.True(history[1].GetProperty("empty_layer").GetBoolean());
        Assert.Equal("FROM localhost/busybox:latest", history[1].GetProperty("comment").GetString());
        Assert.Equal("/bin/sh -c #(nop) ENV A=1 B=\"two words\"", history[2].GetProperty("created_by").GetString());
        Assert.StartsWith("|1 GREETING=hey /bin/sh -c echo $GREETING", history[9].GetProperty("created_by").GetString(), StringComparison.Ordinal);
        Assert.False(history[9].GetProperty("empty_layer").GetBoolean());
    }

    [Theory, RootAndRootless]
    public async Task Docker_format_keeps_healthcheck_and_onbuild(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string context = Context(skiff, ("Dockerfile", "FROM busybox\nHEALTHCHECK --interval=5s --retries=2 CMD true\nONBUILD RUN echo onbuild\n"));
        string id = (await skiff.RunAsync("build", "-q", "--format", "docker", "-t", "dk", context)).AssertSuccess().Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        using JsonDocument inspect = JsonDocument.Parse((await skiff.RunAsync("image", "inspect", "dk")).AssertSuccess().Stdout);
        JsonElement health = inspect.RootElement[0].GetProperty("Healthcheck");
        Assert.Equal(["CMD-SHELL", "true"], health.GetProperty("Test").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(5_000_000_000, health.GetProperty("Interval").GetInt64());
        Assert.Contains("ONBUILD RUN echo onbuild", (await skiff.RunAsync("history", "--no-trunc", "dk")).AssertSuccess().Stdout, StringComparison.Ordinal);
    }

    [Theory, RootAndRootless]
    public async Task A_failing_run_stops_the_build_with_its_status_and_leaves_nothing(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string context = Context(skiff, ("Containerfile", "FROM busybox\nRUN echo before\nRUN exit 3\nRUN echo never\n"));
        ProcessResult failed = await skiff.RunAsync("build", "-t", "broken", context);
        failed.AssertError(3, "Error: building at STEP \"RUN exit 3\": while running runtime: exit status 3");
        Assert.Contains("before", failed.StdoutLines);
        Assert.DoesNotContain("never", failed.Stdout, StringComparison.Ordinal);
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);
        Assert.Single((await skiff.RunAsync("images", "-q")).AssertSuccess().StdoutLines);

        string unknown = Context(skiff, ("Containerfile", "FROM busybox\nFOO bar\n"));
        (await skiff.RunAsync("build", unknown)).AssertError(125, "building at STEP \"FOO bar\": Build error: Unknown instruction: \"FOO\"");
        Assert.Single((await skiff.RunAsync("images", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task The_context_is_never_left(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string context = Context(skiff, ("Containerfile", "FROM busybox\nCOPY ../outside /\n"), ("in.txt", "in\n"));
        await File.WriteAllTextAsync(Path.Combine(skiff.Sandbox.Work, "outside"), "secret\n");
        (await skiff.RunAsync("build", context)).AssertError(125, "forbidden path outside the build context: ../outside");

        // A symlink in the context is copied as the link, never what it points to.
        File.CreateSymbolicLink(Path.Combine(context, "shadow"), "/etc/shadow");
        Directory.CreateDirectory(Path.Combine(context, "d"));
        File.CreateSymbolicLink(Path.Combine(context, "d", "up"), "../../outside");
        await File.WriteAllTextAsync(Path.Combine(context, "Containerfile"), "FROM busybox\nCOPY shadow d /copied/\nCOPY d/up /viaup\n");
        (await skiff.RunAsync("build", "-t", "links", context)).AssertSuccess();
        Assert.Equal(
            "/etc/shadow\n../../outside\n../../outside\n",
            (await skiff.RunAsync("run", "--rm", "links", "sh", "-c", "readlink /copied/shadow; readlink /copied/up; readlink /viaup")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Dockerignore_build_args_and_a_containerfile_on_stdin(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string context = Context(
            skiff,
            (".dockerignore", "*.log\nsecret\ndir\n!dir/keep\n"),
            ("a.log", "log\n"),
            ("secret", "s\n"),
            ("keep.txt", "k\n"),
            ("dir/keep", "kept\n"),
            ("dir/drop", "dropped\n"));
        const string File = "FROM busybox\nARG WHO\nARG DFLT=d\nCOPY . /ctx/\nRUN echo \"$WHO $DFLT\" > /who\n";
        ProcessResult built = (await skiff.RunAsync(["build", "-f", "-", "-t", "ign", "--build-arg", "WHO=me", "--build-arg", "UNUSED=1", context], File, null)).AssertSuccess();
        Assert.Contains("[Warning] one or more build args were not consumed: [UNUSED]", built.Stderr, StringComparison.Ordinal);
        Assert.Equal(
            ".dockerignore\ndir\nkeep.txt\n--\nkeep\n--\nme d\n",
            (await skiff.RunAsync("run", "--rm", "ign", "sh", "-c", "ls -A /ctx; echo --; ls /ctx/dir; echo --; cat /who")).AssertSuccess().Stdout);
        Assert.Equal("\n", (await skiff.RunAsync("run", "--rm", "ign", "sh", "-c", "echo $WHO")).AssertSuccess().Stdout);

        (await skiff.RunAsync("build", Path.Combine(context, "nosuch"))).AssertError(125, "does not exist");
        string empty = Context(skiff);
        (await skiff.RunAsync("build", empty)).AssertError(125, "no Containerfile or Dockerfile");
        await System.IO.File.WriteAllTextAsync(Path.Combine(empty, "Containerfile"), "FROM busybox\nCOPY nosuch /\n");
        (await skiff.RunAsync("build", empty)).AssertError(125, "no such file or directory");
        await System.IO.File.WriteAllTextAsync(Path.Combine(empty, "Containerfile"), "FROM busybox\nADD http://example.com/x /\n");
        (await skiff.RunAsync("build", empty)).AssertError(125, "ADD of a URL is not supported");
    }

    [Theory, RootAndRootless]
    public async Task Multi_stage_builds_copy_from_earlier_stages_and_stop_at_the_target(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        const string Stages = """
            ARG BASE=busybox
            FROM $BASE AS builder
            RUN mkdir /out && echo built > /out/b && chown 5:6 /out/b

            FROM builder AS second
            RUN echo second > /out/s

            FROM $BASE
            COPY --from=builder /out/b /b
            COPY --from=1 /out /o2
            COPY --from=busybox /etc/passwd /passwd
            CMD ["cat", "/b"]
            """;
        string context = Context(skiff, ("Containerfile", Stages));
        ProcessResult built = (await skiff.RunAsync(["build", "-t", "ms", context], (byte[]?)null, TimeSpan.FromSeconds(240))).AssertSuccess();
        IReadOnlyList<string> lines = built.StdoutLines;
        Assert.Equal("[1/3] STEP 1/2: FROM busybox AS builder", lines[0]);
        Assert.Contains("[2/3] STEP 1/2: FROM builder AS second", lines);
        Assert.Contains("[3/3] STEP 2/5: COPY --from=builder /out/b /b", lines);
        Assert.Contains("[3/3] COMMIT ms", lines);
        Assert.Matches("^--> [0-9a-f]{11}$", lines[2]);
        Assert.Equal("built\n", (await skiff.RunAsync("run", "--rm", "ms")).AssertSuccess().Stdout);
        Assert.Equal(
            "5:6\nbuilt\nsecond\nroot\n",
            (await skiff.RunAsync("run", "--rm", "ms", "sh", "-c", "stat -c %u:%g /b; cat /o2/b /o2/s; head -c4 /passwd; echo")).AssertSuccess().Stdout);
        Assert.Equal(2, (await skiff.RunAsync("images", "-q")).AssertSuccess().StdoutLines.Distinct().Count());
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);

        ProcessResult target = (await skiff.RunAsync("build", "--target", "builder", "-t", "msb", context)).AssertSuccess();
        Assert.DoesNotContain(target.StdoutLines, l => l.Contains("COPY", StringComparison.Ordinal));
        Assert.Equal("built\n", (await skiff.RunAsync("run", "--rm", "msb", "cat", "/out/b")).AssertSuccess().Stdout);
        (await skiff.RunAsync("build", "--target", "nosuch", context)).AssertError(125, "the target \"nosuch\" was not found");
    }

    private static string Context(SkiffCli skiff, params (string Path, string Content)[] files)
    {
        string context = Path.Combine(skiff.Sandbox.Work, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(context);
        foreach ((string path, string content) in files)
        {
            string full = Path.Combine(context, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        return context;
    }

    private static byte[] TarOf(params (string Name, string Content)[] files)
    {
        using var stream = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(stream, System.Formats.Tar.TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach ((string name, string content) in files)
            {
                var entry = new System.Formats.Tar.UstarTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
                    Mode = (UnixFileMode)Convert.ToInt32("644", 8),
                };
                writer.WriteEntry(entry);
            }
        }

        return stream.ToArray();
    }
}
