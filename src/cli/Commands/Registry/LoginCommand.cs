using System.CommandLine;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Images.Registry;
using Skiff.Images.Registry.Auth;

namespace Skiff.Cli.Commands.Registry;

/// <summary>
/// <c>skiff login [-u USER] [-p PASS | --password-stdin] [--authfile F] [--tls-verify] [REGISTRY]</c>: checks the
/// credentials against the registry (ping, then the token or basic flow) and only then stores them
/// in auth.json (mode 0600), as podman login does.
/// </summary>
public static class LoginCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var registry = new Argument<string?>("registry") { Arity = ArgumentArity.ZeroOrOne, Description = "Registry to log in to (default docker.io)" };
        var username = new Option<string?>("--username", "-u") { Description = "User name" };
        var password = new Option<string?>("--password", "-p") { Description = "Password" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input" };
        var getLogin = new Option<bool>("--get-login") { Description = "Print the user name stored for the registry" };
        var flags = new RegistryFlags();
        var command = new Command("login", "Log in to a container registry") { registry, username, password, passwordStdin, getLogin };
        flags.AddTo(command, withCreds: false);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            string name = RegistryName.Normalize(parseResult.GetValue(registry));
            AuthFileLocations locations = flags.AuthLocations(parseResult, context);
            if (parseResult.GetValue(getLogin))
            {
                Credentials? stored = new CredentialStore(locations).Find(name);
                if (stored is null)
                {
                    throw SkiffException.NotFound($"not logged into {name}", $"log in with 'skiff login {name}'");
                }

                context.Out.WriteLine(stored.Username);
                return ExitCodes.Success;
            }

            string? user = parseResult.GetValue(username);
            string? secret = parseResult.GetValue(password);
            if (parseResult.GetValue(passwordStdin))
            {
                if (secret is not null)
                {
                    throw SkiffException.InvalidArgument("--password and --password-stdin are mutually exclusive");
                }

                secret = (await Console.In.ReadToEndAsync(cancellationToken)).TrimEnd('\n', '\r');
            }

            if (user is null)
            {
                user = Console.IsInputRedirected ? null : Prompt(context, "Username: ", echo: true);
            }

            if (string.IsNullOrEmpty(user))
            {
                throw SkiffException.InvalidArgument("a user name is required", "pass --username, or run on a terminal to be asked");
            }

            if (secret is null)
            {
                secret = Console.IsInputRedirected ? null : Prompt(context, "Password: ", echo: false);
            }

            if (string.IsNullOrEmpty(secret))
            {
                throw SkiffException.InvalidArgument("a password is required", "pass --password-stdin (or --password), or run on a terminal to be asked");
            }

            var credentials = new Credentials(user, secret);
            AuthFile file = AuthFile.Read(locations.WriteTarget);
            RegistryConnector connector = flags.Connector(parseResult, context, credentials);
            string host = name.Split('/')[0];
            bool insecure = connector.IsInsecure(host, connector.Config.IsInsecure(host));
            using (RegistrySession session = connector.Open(host, insecure, name, []))
            {
                await session.VerifyLoginAsync(cancellationToken);
            }

            file.Set(name, credentials);
            file.Save();
            context.Out.WriteLine("Login Succeeded!");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Prompt(CliContext context, string label, bool echo)
    {
        context.Error.Write(label);
        context.Error.Flush();
        if (echo)
        {
            return Console.ReadLine() ?? string.Empty;
        }

        var text = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }

                continue;
            }

            text.Append(key.KeyChar);
        }

        context.Error.WriteLine();
        return text.ToString();
    }
}
