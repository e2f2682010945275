using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.Images.Building;

/// <summary>The build was stopped by SIGINT or SIGTERM: its containers and step images are removed, it exits 130.</summary>
public sealed class BuildInterruptedException() : SkiffException(ErrorKind.Internal, "the build was interrupted");
