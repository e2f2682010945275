using System.CommandLine;
using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Secrets;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// run/create's <c>--secret NAME[,type=mount|env][,target=T][,uid=U][,gid=G][,mode=M]</c>, as podman 4.3 reads it: a
/// mount (the default) is a read-only file at /run/secrets/NAME, or at the target (relative under /run/secrets,
/// absolute as given), owned 0:0 with mode 0444 unless told; env sets the variable named by the target (default NAME).
/// </summary>
public sealed class SecretFlags
{
    public Option<string[]> Secret { get; } = new("--secret") { Description = "Add secret to container (NAME[,type=mount|env][,target=T][,uid=U][,gid=G][,mode=M])" };

    public void AddTo(Command command) => command.Options.Add(Secret);

    /// <summary>The --secret values resolved against the store (podman's "no such secret" for a missing one).</summary>
    public List<ContainerSecret> Resolve(ParseResult parse, SecretStore store) =>
        (parse.GetValue(Secret) ?? []).Select(value => Parse(value)).Select(secret =>
        {
            SecretRecord record = store.Get(secret.Name);
            return secret with { Name = record.Name, Id = record.Id };
        }).ToList();

    /// <summary>One --secret value, without its id (that comes from the store).</summary>
    public static ContainerSecret Parse(string value)
    {
        string[] parts = value.Split(',');
        string name = parts[0];
        if (name.Length == 0 || name.Contains('='))
        {
            throw Invalid($"{value} must begin with a secret name");
        }

        string type = ContainerSecret.MountType;
        string? target = null;
        uint? uid = null, gid = null, mode = null;
        foreach (string option in parts.Skip(1))
        {
            int equals = option.IndexOf('=');
            string key = equals < 0 ? option : option[..equals];
            string setting = equals < 0 ? string.Empty : option[(equals + 1)..];
            switch (key)
            {
                case "type" when setting is ContainerSecret.MountType or ContainerSecret.EnvType:
                    type = setting;
                    break;
                case "type":
                    throw Invalid($"type {setting} is invalid");
                case "target" when setting.Length > 0:
                    target = setting;
                    break;
                case "uid":
                    uid = uint.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out uint u) ? u : throw Invalid($"UID {setting} invalid");
                    break;
                case "gid":
                    gid = uint.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out uint g) ? g : throw Invalid($"GID {setting} invalid");
                    break;
                case "mode":
                    mode = Octal(setting) ?? throw Invalid($"mode {setting} invalid");
                    break;
                default:
                    throw Invalid($"option {option} invalid");
            }
        }

        if (type == ContainerSecret.EnvType)
        {
            if (uid is not null || gid is not null || mode is not null)
            {
                throw Invalid("UID, GID, Mode options cannot be set with secret type env");
            }

            return new ContainerSecret(name, string.Empty, type, target ?? name, 0, 0, 0);
        }

        string path = target ?? name;
        return new ContainerSecret(name, string.Empty, type, path.StartsWith('/') ? path : ContainerSecret.Directory + "/" + path, uid ?? 0, gid ?? 0, mode ?? ContainerSecret.DefaultMode);
    }

    /// <summary>An octal mode up to 07777 (Go's ParseUint(s, 8, 32), bounded to permission bits).</summary>
    private static uint? Octal(string text)
    {
        if (text.Length is 0 or > 10 || !text.All(c => c is >= '0' and <= '7'))
        {
            return null;
        }

        uint value = text.Aggregate(0u, (total, digit) => (total * 8) + (uint)(digit - '0'));
        return value <= 0xfff ? value : null;
    }

    private static SkiffException Invalid(string message) =>
        SkiffException.InvalidArgument(message + ": parsing secret", "give --secret NAME[,type=mount|env][,target=T][,uid=U][,gid=G][,mode=M]");
}
