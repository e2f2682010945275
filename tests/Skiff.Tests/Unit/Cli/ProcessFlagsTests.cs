using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Cli;

/// <summary>The pure parts of podman's --umask, --annotation, --oom-score-adj, --tz and --unsetenv.</summary>
public class ProcessFlagsTests
{
    [Theory]
    [InlineData("0022", 0x12u, "0022")]
    [InlineData("77", 63u, "0077")]
    [InlineData("0", 0u, "0000")]
    [InlineData("1777", 1023u, "1777")]
    public void Umask_is_octal_and_shown_with_four_digits(string text, uint value, string shown)
    {
        Assert.Equal(value, ProcessFlags.ParseUmask(text));
        Assert.Equal(shown, ProcessFlags.FormatUmask(value));
    }

    [Theory]
    [InlineData("999")]
    [InlineData("07777")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("-1")]
    public void Umask_refuses_what_podman_refuses(string text) =>
        Assert.Equal($"invalid umask string {text}: invalid argument", Assert.Throws<SkiffException>(() => ProcessFlags.ParseUmask(text)).Message);

    [Fact]
    public void Annotations_keep_equals_in_values_and_the_last_key_wins()
    {
        Dictionary<string, string> annotations = CreationFlags.Annotations(["a=b=c", "k=1", "k=2", "=v", "e="]);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "b=c", ["k"] = "2", [""] = "v", ["e"] = "" }, annotations);
        Assert.Equal("annotations must be formatted KEY=VALUE", Assert.Throws<SkiffException>(() => CreationFlags.Annotations(["bare"])).Message);
    }

    [Theory]
    [InlineData("500", false, 0, false, 500)]
    [InlineData("0", true, 0, false, 0)]
    [InlineData("-1000", false, 0, true, -1000)]
    [InlineData("-100", false, -200, false, -100)]
    public void Oom_score_adj_accepts_raising_and_a_privileged_lowering(string text, bool rootless, int current, bool canLower, int expected) =>
        Assert.Equal(expected, OomScoreAdjust.Parse(text, rootless, current, canLower));

    [Theory]
    [InlineData("-1", false, 0, false, "lowering it needs CAP_SYS_RESOURCE")]
    [InlineData("-1", true, 0, true, "which a rootless container does not have")]
    [InlineData("1001", false, 0, true, "range for oom score adj is [-1000, 1000]")]
    [InlineData("x", false, 0, true, "range for oom score adj is [-1000, 1000]")]
    public void Oom_score_adj_refuses_out_of_range_and_unprivileged_lowering(string text, bool rootless, int current, bool canLower, string message) =>
        Assert.Contains(message, Assert.Throws<SkiffException>(() => OomScoreAdjust.Parse(text, rootless, current, canLower)).Message);

    [Theory]
    [InlineData("../../etc/shadow")]
    [InlineData("/etc/passwd")]
    [InlineData("Europe//Paris")]
    [InlineData("")]
    public void Tz_refuses_names_that_leave_zoneinfo(string zone) =>
        Assert.StartsWith("invalid timezone", Assert.Throws<SkiffException>(() => ContainerTimezone.Validate(zone)).Message);

    [Fact]
    public void Tz_names_a_missing_zone_as_podman_does() =>
        Assert.Equal(
            "running container create option: stat /usr/share/zoneinfo/No/Where: no such file or directory",
            Assert.Throws<SkiffException>(() => ContainerTimezone.Validate("No/Where")).Message);

    [Fact]
    public void Unsetenv_takes_away_the_default_path_and_term_but_not_hostname()
    {
        ContainerConfig config = new()
        {
            Id = new string('a', 64), Name = "n", Created = DateTimeOffset.UnixEpoch, Image = "i", Runtime = "skiff", Tty = true,
            Env = ["A=1"],
        };
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=1", "TERM=xterm", "HOSTNAME=h", "container=podman"], BundleWriter.ProcessEnvironment(config, "h"));
        Assert.Equal(["A=1", "TERM=xterm", "HOSTNAME=h"], BundleWriter.ProcessEnvironment(config with { UnsetEnv = ["PATH", "container"] }, "h"));
        Assert.Equal(["A=1", "HOSTNAME=h"], BundleWriter.ProcessEnvironment(config with { UnsetEnvAll = true }, "h"));
        Assert.Equal(["PATH=/x", "HOSTNAME=h"], BundleWriter.ProcessEnvironment(config with { UnsetEnvAll = true, Env = ["PATH=/x"] }, "h"));
    }
}
