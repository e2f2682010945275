using System.CommandLine;

namespace Skiff.Cli.Commands.System;

public static class InfoCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("info", "Display skiff system information");
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            TextWriter o = context.Out;
            o.WriteLine("host:");
            o.WriteLine($"  arch: {VersionCommand.Architecture()}");
            o.WriteLine($"  rootless: {(context.User.Rootless ? "true" : "false")}");
            o.WriteLine("store:");
            Skiff.Images.Snapshots.StorageDriverChoice driver = Images.StorageServices.Driver(context);
            o.WriteLine($"  graphDriverName: {driver.Name}");
            o.WriteLine($"  graphDriverSource: {driver.Source}");
            o.WriteLine($"  graphRoot: {context.Paths.Root}");
            o.WriteLine($"  runRoot: {context.Paths.RunRoot}");
            o.WriteLine("version:");
            o.WriteLine($"  version: {VersionCommand.Version}");
            return ExitCodes.Success;
        });
        return command;
    }
}
