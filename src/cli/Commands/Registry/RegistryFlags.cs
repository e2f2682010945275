using System.Collections;
using System.CommandLine;
using Skiff.Images.Registry;
using Skiff.Images.Registry.Auth;
using Skiff.Images.Registry.Configuration;

namespace Skiff.Cli.Commands.Registry;

/// <summary>The flags pull, push and login share (podman's names), and the registry connector they configure.</summary>
public sealed class RegistryFlags
{
    public Option<bool?> TlsVerify { get; } = new("--tls-verify")
    {
        Description = "Require HTTPS and verify certificates when contacting registries (default from registries.conf: true)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> AuthFile { get; } = new("--authfile") { Description = "Path of the authentication file (default ${XDG_RUNTIME_DIR}/containers/auth.json)" };

    public Option<string?> CertDir { get; } = new("--cert-dir") { Description = "Directory with certificates (*.crt, *.cert, *.key) for the registry" };

    public Option<string?> Creds { get; } = new("--creds") { Description = "Credentials (USERNAME:PASSWORD) for the registry" };

    public void AddTo(Command command, bool withCreds = true)
    {
        command.Options.Add(TlsVerify);
        command.Options.Add(AuthFile);
        command.Options.Add(CertDir);
        if (withCreds)
        {
            command.Options.Add(Creds);
        }
    }

    public static IReadOnlyDictionary<string, string?> Environment()
    {
        var environment = new Dictionary<string, string?>();
        foreach (DictionaryEntry entry in global::System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value;
        }

        return environment;
    }

    public AuthFileLocations AuthLocations(ParseResult parseResult, CliContext context) =>
        AuthFileLocations.Resolve(parseResult.GetValue(AuthFile), Environment(), context.User.Rootless, context.User.Uid);

    public RegistryConnector Connector(ParseResult parseResult, CliContext context, Credentials? overrideCredentials = null)
    {
        IReadOnlyDictionary<string, string?> environment = Environment();
        string? creds = parseResult.GetValue(Creds);
        Credentials? explicitCredentials = overrideCredentials ?? (creds is null ? null : Credentials.ParseFlag(creds));
        AuthFileLocations locations = AuthLocations(parseResult, context);
        if (explicitCredentials is null && locations.IsExplicit && !File.Exists(locations.WriteTarget))
        {
            throw Core.Errors.SkiffException.InvalidArgument($"checking authfile: stat {locations.WriteTarget}: no such file or directory", "pass an existing file to --authfile");
        }

        return new RegistryConnector
        {
            Config = new RegistriesConfigLoader(environment).Load(),
            Credentials = new CredentialStore(locations, explicitCredentials),
            Certificates = CertificateDirectories.ForUser(environment, context.User.Rootless, parseResult.GetValue(CertDir)),
            TlsVerify = parseResult.GetValue(TlsVerify),
        };
    }
}
