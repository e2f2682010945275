using System.CommandLine;
using Skiff.Runtime.Containers;

namespace Skiff.Cli.Commands.Oci;

/// <summary><c>skiff oci features</c>: the runtime-spec features document (what this runtime implements) as JSON.</summary>
public static class OciFeaturesCommand
{
    public static Command Create()
    {
        var command = new Command("features", "Print the runtime's features as JSON (runtime-spec features.md)");
        command.SetAction(_ =>
        {
            using Stream stdout = Console.OpenStandardOutput();
            stdout.Write(RuntimeFeatures.Json());
            stdout.Write("\n"u8);
            return 0;
        });
        return command;
    }
}
