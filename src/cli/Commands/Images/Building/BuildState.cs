using Skiff.Images.Store;
using ImageContainerConfig = Skiff.Images.Manifests.ContainerConfig;

namespace Skiff.Cli.Commands.Images.Building;

/// <summary>Where a build stage stands: its last image, the config the next commit gets, its ARGs and shell.</summary>
public sealed class BuildState(ImageRecord image, ImageContainerConfig config, string from)
{
    public ImageRecord Image { get; set; } = image;

    public ImageContainerConfig Config { get; set; } = config;

    /// <summary>The next history entry's comment: <c>FROM</c> the base's name, then each step's short id (podman's).</summary>
    public string From { get; set; } = from;

    /// <summary>The ARGs declared in this stage, with their values (null: declared without one).</summary>
    public Dictionary<string, string?> Args { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Shell { get; set; } = ["/bin/sh", "-c"];

    /// <summary>The images of the stages built before this one (COPY --from=NAME|N).</summary>
    public IReadOnlyList<ImageRecord> Stages { get; set; } = [];

    /// <summary>Whether this stage set CMD (an ENTRYPOINT then keeps it; otherwise it clears the inherited one, as docker).</summary>
    public bool CmdSet { get; set; }

    /// <summary>The stage's variables for substitution: ENV wins over ARG, as in docker.</summary>
    public string? Lookup(string name)
    {
        foreach (string variable in Config.Env ?? [])
        {
            int equals = variable.IndexOf('=');
            if (equals > 0 && variable.AsSpan(0, equals).SequenceEqual(name))
            {
                return variable[(equals + 1)..];
            }
        }

        return Args.TryGetValue(name, out string? value) ? value : null;
    }
}
