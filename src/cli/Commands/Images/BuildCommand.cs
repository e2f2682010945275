using System.CommandLine;
using Skiff.Cli.Commands.Images.Building;
using Skiff.Cli.Commands.Registry;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Local;
using Skiff.Images.References;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary>
/// <c>skiff build [-t NAME]... [-f FILE] [--build-arg K=V]... [-q] [--pull=POLICY] [--network MODE] [--label K=V]... [--iidfile F] CONTEXT</c>
/// (and <c>skiff image build</c>): an image from a Containerfile, as podman 4.3's <c>build</c> makes it (see <see cref="ImageBuilder"/>).
/// The file is -f's (<c>-</c> for standard input), else the context's Containerfile, else its Dockerfile. Rootless it runs
/// inside skiff's user namespace, as run does.
/// </summary>
public static class BuildCommand
{
    public static Command Create(GlobalOptions globals, string name = "build")
    {
        var tag = new Option<string[]>("--tag", "-t") { Description = "Name and optionally a tag (NAME[:TAG]) for the image" };
        var file = new Option<string?>("--file", "-f") { Description = "Containerfile to build (default CONTEXT/Containerfile, else CONTEXT/Dockerfile; - for standard input)" };
        var buildArg = new Option<string[]>("--build-arg") { Description = "ARG value for the build (KEY=VALUE, or KEY to take skiff's environment's)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the image id" };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not use cached layers (skiff keeps no layer cache yet: every build runs every step)" };
        var layers = new Option<bool>("--layers") { Description = "Commit each step as an image (the default; skiff always does)", DefaultValueFactory = _ => true };
        var pull = new Option<string?>("--pull") { Description = "Pull the FROM image: always (or true), missing (the default, or false), never, newer", Arity = ArgumentArity.ZeroOrOne };
        var network = new Option<string?>("--network", "--net") { Description = "Network for RUN instructions (none, host, pasta, slirp4netns, or a network's name)" };
        var label = new Option<string[]>("--label") { Description = "Set metadata on the image (KEY=VALUE)" };
        var iidFile = new Option<string?>("--iidfile") { Description = "Write the image ID to the file" };
        var format = new Option<string>("--format") { Description = "Format of the image manifest and metadata (oci or docker; docker keeps HEALTHCHECK, ONBUILD and SHELL)", DefaultValueFactory = _ => "oci" };
        var target = new Option<string?>("--target") { Description = "Set the target build stage to build (its name, or its number from 0)" };
        var registry = new RegistryFlags();
        var contextArgument = new Argument<string?>("context") { Arity = ArgumentArity.ZeroOrOne, Description = "The build context directory (default .)" };
        var command = new Command(name, "Build an image using instructions from Containerfiles")
        {
            tag, file, buildArg, quiet, noCache, layers, pull, network, label, iidFile, format, target, contextArgument,
        };
        registry.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            string manifestFormat = parse.GetValue(format)!;
            if (manifestFormat is not ("oci" or "docker"))
            {
                throw SkiffException.InvalidArgument($"unrecognized image type \"{manifestFormat}\"", "use --format oci or --format docker");
            }

            string directory = parse.GetValue(contextArgument) ?? ".";
            if (directory == "-" || directory.Contains("://", StringComparison.Ordinal))
            {
                throw SkiffException.InvalidArgument($"the build context must be a local directory, not {directory}", "give the directory holding the files COPY and ADD read");
            }

            string contextDirectory = Path.GetFullPath(directory);
            if (!Directory.Exists(contextDirectory))
            {
                throw SkiffException.NotFound($"context directory \"{directory}\" does not exist", "give the directory holding the Containerfile and the files COPY and ADD read");
            }

            string text = ReadContainerfile(parse.GetValue(file), contextDirectory);
            string[] given = parse.GetValue(tag) ?? [];
            var tags = given.Select(t => ImageReference.Parse(t).LocalName).ToList();
            var options = new BuildOptions(
                contextDirectory,
                text,
                tags,
                given,
                BuildArgs(parse.GetValue(buildArg) ?? []),
                Labels(parse.GetValue(label) ?? []),
                parse.GetValue(quiet),
                PullPolicy(parse.GetResult(pull) is null ? null : parse.GetValue(pull) ?? "always"),
                parse.GetValue(network),
                parse.GetValue(target),
                manifestFormat == "docker");
            LocalImages local = ImageServices.Local(context);
            ImageRecord image;
            try
            {
                image = await new ImageBuilder(context, options) { Connector = () => registry.Connector(parse, context) }.BuildAsync(cancellationToken);
            }
            catch (BuildStepFailedException e)
            {
                context.Error.WriteLine($"Error: {e.Message}");
                return e.ExitCode;
            }
            catch (BuildInterruptedException)
            {
                return 130;
            }

            foreach (string extra in tags.Skip(1))
            {
                image = new ImageTagger(local).Tag(image.Id, extra);
            }

            string hex = Digest.Parse(image.Id).Hex;
            if (!options.Quiet)
            {
                context.Out.WriteLine($"--> {hex[..11]}");
                foreach (string name in tags)
                {
                    context.Out.WriteLine($"Successfully tagged {name}");
                }
            }

            if (parse.GetValue(iidFile) is { } idPath)
            {
                // podman writes "sha256:" and the id, without a newline.
                await File.WriteAllTextAsync(idPath, image.Id, cancellationToken);
            }

            context.Out.WriteLine(hex);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ReadContainerfile(string? file, string contextDirectory)
    {
        if (file == "-")
        {
            return Console.In.ReadToEnd();
        }

        if (file is not null)
        {
            return File.Exists(file)
                ? File.ReadAllText(file)
                : throw SkiffException.NotFound($"the Containerfile {file} does not exist", "-f names the file to build, relative to the current directory");
        }

        foreach (string candidate in new[] { "Containerfile", "Dockerfile" })
        {
            string path = Path.Combine(contextDirectory, candidate);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw SkiffException.NotFound(
            $"no Containerfile or Dockerfile specified or found in context directory, {contextDirectory}: no such file or directory",
            "add a Containerfile to the context directory, or name one with -f");
    }

    private static Dictionary<string, string?> BuildArgs(IEnumerable<string> values)
    {
        var args = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            int equals = value.IndexOf('=');
            args[equals < 0 ? value : value[..equals]] = equals < 0 ? Environment.GetEnvironmentVariable(value) : value[(equals + 1)..];
        }

        return args;
    }

    private static List<KeyValuePair<string, string>> Labels(IEnumerable<string> values)
    {
        var labels = new List<KeyValuePair<string, string>>();
        foreach (string value in values)
        {
            int equals = value.IndexOf('=');
            labels.Add(new(equals < 0 ? value : value[..equals], equals < 0 ? string.Empty : value[(equals + 1)..]));
        }

        return labels;
    }

    private static string PullPolicy(string? value) => value switch
    {
        null or "missing" or "false" => "missing",
        "always" or "true" => "always",
        "never" => "never",
        "newer" => "newer",
        _ => throw SkiffException.InvalidArgument($"unsupported pull policy \"{value}\"", "use --pull=always, missing, never or newer"),
    };
}
