using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>--restart read and applied as podman 4.3 does (messages and the --rm rule taken from podman on this machine).</summary>
public sealed class RestartPolicyTests
{
    [Theory]
    [InlineData(null, "", 0)]
    [InlineData("", "", 0)]
    [InlineData("no", "no", 0)]
    [InlineData("always", "always", 0)]
    [InlineData("unless-stopped", "unless-stopped", 0)]
    [InlineData("on-failure", "on-failure", 0)]
    [InlineData("on-failure:0", "on-failure", 0)]
    [InlineData("on-failure:5", "on-failure", 5)]
    [InlineData("on-failure:+5", "on-failure", 5)]
    public void Valid_policies_parse(string? value, string name, int retries) =>
        Assert.Equal((name, retries), RestartPolicy.Parse(value));

    [Theory]
    [InlineData("sometimes", "\"sometimes\" is not a valid restart policy")]
    [InlineData("ON-FAILURE", "\"ON-FAILURE\" is not a valid restart policy")]
    [InlineData("ON-FAILURE:2", "\"ON-FAILURE\" is not a valid restart policy")]
    [InlineData("always:3", "restart policy retries can only be specified with on-failure restart policy")]
    [InlineData("no:1", "restart policy retries can only be specified with on-failure restart policy")]
    [InlineData("on-failure:x", "parsing restart policy retry count: strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("on-failure:", "parsing restart policy retry count: strconv.Atoi: parsing \"\": invalid syntax")]
    [InlineData("on-failure:-1", "must specify restart policy retry count as a number greater than 0")]
    [InlineData("on-failure:1:2", "invalid restart policy: may specify retries at most once")]
    public void Invalid_policies_get_podmans_message(string value, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => RestartPolicy.Parse(value));
        Assert.Equal(message, e.Message);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no")]
    [InlineData("on-failure")]
    public void Rm_allows_what_podman_allows(string? value) => RestartPolicy.CheckAutoRemove(value, autoRemove: true);

    [Theory]
    [InlineData("always")]
    [InlineData("unless-stopped")]
    [InlineData("on-failure:2")]
    [InlineData("on-failure:0")]
    public void Rm_refuses_the_other_policies(string value)
    {
        Assert.Throws<SkiffException>(() => RestartPolicy.CheckAutoRemove(value, autoRemove: true));
        RestartPolicy.CheckAutoRemove(value, autoRemove: false);
    }

    [Theory]
    [InlineData("always", 0, 0, 0, true)]
    [InlineData("always", 0, 1, 100, true)]
    [InlineData("unless-stopped", 0, 0, 5, true)]
    [InlineData("on-failure", 0, 0, 0, false)]
    [InlineData("on-failure", 0, 3, 1000, true)]
    [InlineData("on-failure", 2, 3, 0, true)]
    [InlineData("on-failure", 2, 3, 1, true)]
    [InlineData("on-failure", 2, 3, 2, false)]
    [InlineData("no", 0, 3, 0, false)]
    [InlineData(null, 0, 3, 0, false)]
    [InlineData("", 0, 3, 0, false)]
    public void The_policy_decides_on_the_code_and_the_count(string? name, int maximum, int exitCode, int restartCount, bool expected)
    {
        Assert.Equal(expected, RestartPolicy.ShouldRestart(name, maximum, exitCode, restartCount));
        Assert.True(!expected || RestartPolicy.Restarts(name));
    }
}
