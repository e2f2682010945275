using Skiff.Cli;
using Skiff.Core.Errors;

namespace Skiff.Tests.Unit.Cli;

public sealed class ErrorReporterTests
{
    [Fact]
    public void An_item_is_named_once_per_error_line()
    {
        var text = new StringWriter();
        var reporter = new ErrorReporter(text, debug: false);
        reporter.ReportItem("web", SkiffException.NotFound("no container with name or ID \"web\" found: no such container"));
        reporter.ReportItem("db", SkiffException.Conflict("container is running"));
        reporter.ReportItem("cache", SkiffException.Conflict("can only kill running containers. 0123abcd is in state created: container state improper"), "0123abcd");

        Assert.Equal(
            "Error: no container with name or ID \"web\" found: no such container\nError: db: container is running\n"
            + "Error: can only kill running containers. 0123abcd is in state created: container state improper\n",
            text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void An_item_keeps_the_hint_of_its_error()
    {
        var text = new StringWriter();
        var reporter = new ErrorReporter(text, debug: false);
        reporter.ReportItem("web", SkiffException.Conflict("cannot remove container 0123abcd as it is running", "stop it first, or use 'skiff rm -f'"), "0123abcd");
        reporter.ReportItem("db", SkiffException.NotFound("no container with name or ID \"db\" found: no such container"));

        Assert.Equal(
            "Error: cannot remove container 0123abcd as it is running\nHint: stop it first, or use 'skiff rm -f'\n"
            + "Error: no container with name or ID \"db\" found: no such container\n",
            text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
