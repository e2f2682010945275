using Skiff.Core.Errors;
using Skiff.Runtime.Logs;

namespace Skiff.Tests.Unit.Logs;

public class LogDriversTests
{
    [Theory]
    [InlineData("k8s-file", true)]
    [InlineData("json-file", true)]
    [InlineData("none", false)]
    [InlineData("passthrough", false)]
    public void Podmans_drivers_are_taken_and_only_the_file_drivers_keep_a_log(string driver, bool writesFile)
    {
        Assert.Equal(driver, LogDrivers.Validate(driver));
        Assert.Equal(writesFile, LogDrivers.WritesFile(driver));
    }

    [Fact]
    public void An_unknown_driver_is_refused_naming_the_ones_there_are()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => LogDrivers.Validate("syslog"));
        Assert.Equal("invalid log driver: syslog", e.Message);
        Assert.Contains("passthrough", e.Hint, StringComparison.Ordinal);
    }
}
