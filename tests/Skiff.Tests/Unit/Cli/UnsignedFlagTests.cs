using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Flags;
using Skiff.Core.Errors;

namespace Skiff.Tests.Unit.Cli;

/// <summary>podman's Go uint flags (run/create --timeout, run/exec --preserve-fds): what pflag takes and its errors.</summary>
public sealed class UnsignedFlagTests
{
    [Theory]
    [InlineData("0", 0u)]
    [InlineData("2", 2u)]
    [InlineData("0x10", 16u)]
    [InlineData("0X1f", 31u)]
    [InlineData("010", 8u)]
    [InlineData("0o17", 15u)]
    [InlineData("0b101", 5u)]
    [InlineData("4294967295", 4294967295u)]
    public void Reads_what_strconv_ParseUint_reads(string text, uint expected) => Assert.Equal(expected, UnsignedFlag.Parse("--timeout", text));

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData(" 2")]
    [InlineData("2s")]
    [InlineData("+3")]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("09")]
    public void Refuses_the_rest_with_pflags_message(string text)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => UnsignedFlag.Parse("--timeout", text));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"invalid argument \"{text}\" for \"--timeout\" flag: strconv.ParseUint: parsing \"{text}\": invalid syntax", e.Message);
    }

    [Theory]
    [InlineData("4294967296")]
    [InlineData("99999999999999999999999")]
    public void A_value_past_the_bound_is_out_of_range(string text) =>
        Assert.EndsWith("value out of range", Assert.Throws<SkiffException>(() => UnsignedFlag.Parse("--preserve-fds", text)).Message);

    [Theory]
    [InlineData(null, null)]
    [InlineData("0", null)]
    [InlineData("2", 2u)]
    [InlineData("2147483647", 2147483647u)]
    public void A_timeout_is_seconds_and_zero_is_none(string? text, uint? expected) => Assert.Equal(expected, CreationFlags.ParseTimeout(text));

    [Fact]
    public void A_timeout_conmon_cannot_take_is_refused_at_the_create() =>
        Assert.Throws<SkiffException>(() => CreationFlags.ParseTimeout("2147483648"));
}
