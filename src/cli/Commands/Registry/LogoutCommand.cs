using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Images.Registry.Auth;

namespace Skiff.Cli.Commands.Registry;

/// <summary><c>skiff logout [--authfile F] [-a|--all] [REGISTRY]</c>: removes stored credentials, as podman logout.</summary>
public static class LogoutCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var registry = new Argument<string?>("registry") { Arity = ArgumentArity.ZeroOrOne, Description = "Registry to log out of (default docker.io)" };
        var all = new Option<bool>("--all", "-a") { Description = "Remove the credentials of every registry" };
        var flags = new RegistryFlags();
        var command = new Command("logout", "Log out of a container registry") { registry, all };
        command.Options.Add(flags.AuthFile);
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            AuthFileLocations locations = flags.AuthLocations(parseResult, context);
            // Docker's own config.json is docker's to manage, as podman leaves it alone too.
            IEnumerable<string> files = locations.ReadOrder.Where(f => locations.IsExplicit || !f.EndsWith("/.docker/config.json", StringComparison.Ordinal));
            if (parseResult.GetValue(all))
            {
                foreach (string path in files.Where(File.Exists))
                {
                    AuthFile file = AuthFile.Read(path);
                    if (file.RemoveAll())
                    {
                        file.Save();
                    }
                }

                context.Out.WriteLine("Removed login credentials for all registries");
                return ExitCodes.Success;
            }

            string name = RegistryName.Normalize(parseResult.GetValue(registry));
            bool removed = false;
            foreach (string path in files.Where(File.Exists))
            {
                AuthFile file = AuthFile.Read(path);
                if (file.Remove(name))
                {
                    file.Save();
                    removed = true;
                }
            }

            if (!removed)
            {
                throw SkiffException.NotFound($"not logged into {name}", "'skiff login' stores credentials; nothing to remove");
            }

            context.Out.WriteLine($"Removed login credentials for {name}");
            return ExitCodes.Success;
        });
        return command;
    }
}
