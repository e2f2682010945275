using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.Volumes;

/// <summary><c>skiff volume create [--label K=V] [--opt K=V] [NAME]</c>: prints the volume's name.</summary>
public static class VolumeCreateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "Name of the volume (random when omitted)" };
        var driver = new Option<string>("--driver", "-d") { Description = "Volume driver (only local)", DefaultValueFactory = _ => "local" };
        var label = new Option<string[]>("--label", "-l") { Description = "Set metadata for a volume (KEY=VALUE)" };
        var opt = new Option<string[]>("--opt", "-o") { Description = "Set driver specific options (KEY=VALUE)" };
        var ignore = new Option<bool>("--ignore") { Description = "Do not fail if the volume already exists" };
        var command = new Command("create", "Create a new volume") { name, driver, label, opt, ignore };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            string driverName = parse.GetValue(driver) ?? "local";
            if (driverName != "local")
            {
                throw SkiffException.InvalidArgument($"volume driver \"{driverName}\" is not supported: no such volume driver", "skiff has only the local driver");
            }

            VolumeStore volumes = ContainerServices.Volumes(context);
            string? volumeName = parse.GetValue(name);
            VolumeRecord record;
            try
            {
                record = volumes.Create(volumeName, KeyValueFlags.Parse(parse.GetValue(label) ?? []), KeyValueFlags.Parse(parse.GetValue(opt) ?? []));
            }
            catch (SkiffException e) when (e.Kind == ErrorKind.AlreadyExists && parse.GetValue(ignore))
            {
                record = volumes.Get(volumeName!);
            }

            context.Out.WriteLine(record.Name);
            return ExitCodes.Success;
        });
        return command;
    }
}
