using System.CommandLine;
using System.Runtime.InteropServices;

namespace Skiff.Cli.Commands.System;

public static class VersionCommand
{
    public static string Version => typeof(VersionCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("version", "Display the skiff version information");
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            context.Out.WriteLine($"Version:      {Version}");
            context.Out.WriteLine($"Runtime:      .NET {Environment.Version}");
            context.Out.WriteLine($"OS/Arch:      linux/{Architecture()}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        global::System.Runtime.InteropServices.Architecture.X64 => "amd64",
        global::System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        global::System.Runtime.InteropServices.Architecture.Arm => "arm",
        global::System.Runtime.InteropServices.Architecture.X86 => "386",
        var other => other.ToString().ToLowerInvariant(),
    };
}
