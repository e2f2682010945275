using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.Images.Building;

/// <summary>A RUN whose command failed: podman's build exits with that command's status.</summary>
public sealed class BuildStepFailedException(string message, int exitCode) : SkiffException(ErrorKind.Internal, message)
{
    public int ExitCode { get; } = exitCode;
}
