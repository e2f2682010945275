using Skiff.Core.Errors;

namespace Skiff.Cli.Output.Templates;

/// <summary>A --format template that does not parse or cannot be executed on the data; worded like Go's errors.</summary>
public sealed class TemplateException(string message)
    : SkiffException(ErrorKind.InvalidArgument, message, "see the --format section of the command's help; fields are case-sensitive")
{
}
