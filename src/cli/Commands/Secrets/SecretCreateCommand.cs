using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Skiff.Runtime.Secrets;

namespace Skiff.Cli.Commands.Secrets;

/// <summary>
/// <c>skiff secret create [--driver file] [--driver-opts K=V,...] [--env] [--label K=V] NAME FILE|-</c>: the value
/// comes from FILE, stdin (<c>-</c>) or, with --env, the environment variable named FILE; prints the new id.
/// </summary>
public static class SecretCreateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string>("name") { Description = "Name of the secret" };
        var source = new Argument<string>("file") { Description = "File to read the value from, - for stdin, or with --env an environment variable's name" };
        var driver = new Option<string>("--driver", "-d") { Description = "Specify secret driver (only file)", DefaultValueFactory = _ => SecretStore.FileDriver };
        var driverOpts = new Option<string[]>("--driver-opts") { Description = "Specify driver specific options (KEY=VALUE[,KEY=VALUE])" };
        var env = new Option<bool>("--env") { Description = "Read secret data from environment variable" };
        var label = new Option<string[]>("--label", "-l") { Description = "Specify labels on the secret (KEY=VALUE)" };
        var command = new Command("create", "Create a new secret") { name, source, driver, driverOpts, env, label };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            string driverName = parse.GetValue(driver) ?? SecretStore.FileDriver;
            if (driverName != SecretStore.FileDriver)
            {
                throw SkiffException.InvalidArgument($"unsupported secret driver \"{driverName}\": invalid driver", "skiff has only the file driver (podman's default)");
            }

            string secretName = SecretNames.Validate(parse.GetValue(name)!);
            Dictionary<string, string> options = DriverOptions(parse.GetValue(driverOpts) ?? []);
            byte[] data = await SecretSource.ReadAsync(parse.GetValue(source)!, parse.GetValue(env), Console.OpenStandardInput(), Environment.GetEnvironmentVariable, cancellationToken);
            SecretRecord record = ContainerServices.Secrets(context).Create(secretName, data, KeyValueFlags.Parse(parse.GetValue(label) ?? []), options);
            context.Out.WriteLine(record.Id);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>pflag's stringToString: KEY=VALUE pairs, comma-separated or repeated.</summary>
    public static Dictionary<string, string> DriverOptions(IEnumerable<string> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                throw SkiffException.InvalidArgument($"invalid argument \"{pair}\" for \"--driver-opts\" flag: {pair} must be formatted as key=value", "give --driver-opts KEY=VALUE");
            }

            result[pair[..equals]] = pair[(equals + 1)..];
        }

        return result;
    }
}
