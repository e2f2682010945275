using System.Globalization;
using System.Runtime.InteropServices;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Commands.Registry;
using Skiff.Cli.Output;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Building;
using Skiff.Images.Files;
using Skiff.Images.Local;
using Skiff.Images.Manifests;
using Skiff.Images.References;
using Skiff.Images.Registry;
using Skiff.Images.Registry.Pulling;
using Skiff.Images.Store;
using Skiff.Runtime.Lifecycle;
using ContainerConfig = Skiff.Runtime.Lifecycle.ContainerConfig;
using ImageContainerConfig = Skiff.Images.Manifests.ContainerConfig;

namespace Skiff.Cli.Commands.Images.Building;

/// <summary>
/// Runs a Containerfile's stages as podman 4.3's <c>build</c> (buildah, <c>--layers</c>) does: each step is
/// committed as an image, RUN, COPY and ADD with a layer made from a container of the step before (created, run
/// or copied into, committed and removed through the container services), the other instructions as a new config
/// over the same layers with an <c>empty_layer</c> history entry. The steps' images are removed at the end (there
/// is no layer cache yet), leaving the last one under its names. Every container made is removed, also when a step
/// fails or the build is interrupted.
/// </summary>
public sealed class ImageBuilder(CliContext context, BuildOptions options)
{
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "LABEL", "WORKDIR", "USER", "EXPOSE", "VOLUME", "CMD", "ENTRYPOINT",
        "STOPSIGNAL", "SHELL", "HEALTHCHECK", "ONBUILD", "MAINTAINER",
    };

    private readonly List<ImageRecord> intermediates = [];
    private readonly Dictionary<string, int> stageNames = new(StringComparer.Ordinal);
    private string prefix = string.Empty;
    private readonly HashSet<string> usedArgs = new(StringComparer.Ordinal);
    private readonly HashSet<string> warned = new(StringComparer.Ordinal);
    private string? running;
    private volatile bool interrupted;

    /// <summary>The registry connection for FROM's pull (the command's --tls-verify, --authfile, --creds, --cert-dir).</summary>
    public required Func<RegistryConnector> Connector { get; init; }

    /// <summary>Builds the image and returns its record; the caller prints its id.</summary>
    public async Task<ImageRecord> BuildAsync(CancellationToken cancellationToken)
    {
        Containerfile file = ContainerfileParser.Parse(options.Containerfile);
        int from = file.Instructions.ToList().FindIndex(i => i.Keyword == "FROM");
        if (from < 0)
        {
            throw SkiffException.InvalidArgument("no FROM statement found", "a Containerfile starts with FROM IMAGE (or FROM scratch), after any ARG");
        }

        if (file.Instructions.Take(from).FirstOrDefault(i => i.Keyword != "ARG") is { } early)
        {
            throw SkiffException.InvalidArgument($"{early.Keyword} is not allowed before FROM (line {early.Line})", "only ARG may come before the first FROM");
        }

        // ARGs before FROM are the global ones: FROM may use them, a stage only once it declares them again.
        var globals = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (BuildInstruction arg in file.Instructions.Take(from))
        {
            DeclareArgs(arg, globals, name => globals.TryGetValue(name, out string? v) ? v : null, file.Escape);
        }

        IReadOnlyList<IReadOnlyList<BuildInstruction>> stages = Stages(file.Instructions.Skip(from).ToList(), globals, file.Escape);
        LocalImages local = ImageServices.Local(context);
        ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
        var containers = new BuildContainers(context, lifecycle, options.Network);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt(lifecycle));
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt(lifecycle));
        ImageRecord? final = null;
        try
        {
            // Shared hold while images are made: a concurrent prune must not take a new blob for debris before its image
            // is recorded. Released before the steps' images are removed, whose collection takes the exclusive side.
            using IDisposable inUse = StorageServices.Layers(context).HoldForUse();
            var built = new List<ImageRecord>();
            for (int stage = 0; stage < stages.Count; stage++)
            {
                // podman prefixes each line with the stage when there are several: [1/2] STEP 1/3: ...
                prefix = stages.Count > 1 ? $"[{(stage + 1).ToString(CultureInfo.InvariantCulture)}/{stages.Count.ToString(CultureInfo.InvariantCulture)}] " : string.Empty;
                bool finalStage = stage == stages.Count - 1;
                ImageRecord result = await StageAsync(stages[stage], finalStage, built, globals, local, lifecycle, containers, file, cancellationToken);
                built.Add(result);
            }

            final = built[^1];
            inUse.Dispose();
            var unused = options.BuildArgs.Keys.Where(k => !usedArgs.Contains(k)).Order(StringComparer.Ordinal).ToList();
            if (unused.Count > 0)
            {
                context.Error.WriteLine($"[Warning] one or more build args were not consumed: [{string.Join(' ', unused)}]");
            }

            return final;
        }
        finally
        {
            // The steps' images: the final image keeps the layers it shares with them.
            var discard = intermediates.Where(i => i.Id != final?.Id).DistinctBy(i => i.Id).ToList();
            if (discard.Count > 0)
            {
                new ImageRemover(local, ImageServices.Users(context)).Delete(discard);
            }
        }
    }

    /// <summary>The stages to build: split at each FROM, up to --target's (by name or number) when one is asked for.</summary>
    private IReadOnlyList<IReadOnlyList<BuildInstruction>> Stages(IReadOnlyList<BuildInstruction> instructions, Dictionary<string, string?> globals, char escape)
    {
        var stages = new List<IReadOnlyList<BuildInstruction>>();
        foreach (BuildInstruction instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                stages.Add(new List<BuildInstruction>());
            }

            ((List<BuildInstruction>)stages[^1]).Add(instruction);
        }

        for (int i = 0; i < stages.Count; i++)
        {
            string? name = StageName(stages[i][0], globals, escape);
            if (name is not null)
            {
                if (stageNames.ContainsKey(name))
                {
                    throw SkiffException.InvalidArgument($"duplicate stage name \"{name}\" (line {stages[i][0].Line.ToString(CultureInfo.InvariantCulture)})", "give each FROM ... AS a name of its own");
                }

                stageNames[name] = i;
            }
        }

        if (options.Target is { } target)
        {
            int index = stageNames.TryGetValue(target.ToLowerInvariant(), out int named) ? named
                : int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number < stages.Count ? number
                : throw SkiffException.NotFound($"the target \"{target}\" was not found in the provided Containerfile", "--target names a stage: FROM IMAGE AS NAME");
            stages.RemoveRange(index + 1, stages.Count - index - 1);
        }

        return stages;
    }

    private static string? StageName(BuildInstruction from, Dictionary<string, string?> globals, char escape)
    {
        IReadOnlyList<string> words = new WordExpander(name => globals.TryGetValue(name, out string? v) ? v : null, escape).Words(from.Arguments);
        return words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2].ToLowerInvariant() : null;
    }

    private async Task<ImageRecord> StageAsync(
        IReadOnlyList<BuildInstruction> steps, bool finalStage, IReadOnlyList<ImageRecord> built, Dictionary<string, string?> globals, LocalImages local,
        ContainerLifecycle lifecycle, BuildContainers containers, Containerfile file, CancellationToken cancellationToken)
    {
        BuildState state = await FromAsync(steps[0], globals, local, file.Escape, steps.Count, built, cancellationToken);
        state.Stages = built;
        for (int i = 1; i < steps.Count; i++)
        {
            BuildInstruction step = steps[i];
            Say($"STEP {i + 1}/{steps.Count}: {step.Original}");
            bool last = finalStage && i == steps.Count - 1;
            state.Image = await StepAsync(step, state, local, lifecycle, containers, file, last, cancellationToken);
            state.From = Digest.Parse(state.Image.Id).Hex[..12];
            if (!last)
            {
                intermediates.Add(state.Image);
                Say($"--> {Digest.Parse(state.Image.Id).Hex[..11]}");
            }
        }

        if (steps.Count == 1 && finalStage)
        {
            // FROM alone: the base image under the new names, as podman commits it.
            state.Image = await CommitAsync(state, local, "/bin/sh -c #(nop) FROM " + steps[0].Arguments.Trim(), true, cancellationToken);
        }

        return state.Image;
    }

    private Action<PosixSignalContext> Interrupt(ContainerLifecycle lifecycle) => signal =>
    {
        signal.Cancel = true;
        interrupted = true;
        if (running is { } id)
        {
            try
            {
                lifecycle.Kill(id, 9);
            }
            catch (Exception e) when (e is SkiffException or IOException)
            {
                // Already gone: the step ends with it.
            }
        }
    };

    private async Task<BuildState> FromAsync(
        BuildInstruction step, Dictionary<string, string?> globals, LocalImages local, char escape, int count, IReadOnlyList<ImageRecord> built, CancellationToken cancellationToken)
    {
        if (step.Flag("platform") is not null)
        {
            throw StepError(step, "FROM --platform is not supported yet");
        }

        IReadOnlyList<string> words = new WordExpander(name => Use(name, globals.TryGetValue(name, out string? v) ? v : null), escape).Words(step.Arguments);
        if (words.Count == 0 || (words.Count > 1 && !(words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase))))
        {
            throw StepError(step, "FROM requires one argument (FROM IMAGE [AS NAME])");
        }

        string image = words[0];
        Say($"STEP 1/{count.ToString(CultureInfo.InvariantCulture)}: FROM {string.Join(' ', words)}");
        if (image == "scratch")
        {
            throw StepError(step, "FROM scratch is not supported yet", "start from a small image such as busybox");
        }

        if (stageNames.TryGetValue(image.ToLowerInvariant(), out int stage) && stage < built.Count)
        {
            // FROM an earlier stage: its image, as it ended.
            ImageRecord previous = built[stage];
            return new BuildState(previous, local.Config(previous).Config ?? new ImageContainerConfig(), Digest.Parse(previous.Id).Hex[..12]);
        }

        ImageRecord record = await ImageAsync(local, image, cancellationToken);
        ImageContainerConfig config = local.Config(record).Config ?? new ImageContainerConfig();
        if (config.Env is null || !config.Env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
        {
            // buildah's default, given to an image without a PATH.
            config = config with { Env = [DefaultPath, .. config.Env ?? []] };
        }

        // An image's ONBUILD instructions are the base's business, run by docker's builder; podman 4.3 ignores them too.
        config = config with { OnBuild = null };
        return new BuildState(record, config, ImageStore.ResolvedName(record, image) ?? image);
    }

    /// <summary>An image by name or id, pulled as --pull says (FROM, COPY --from=IMAGE).</summary>
    private Task<ImageRecord> ImageAsync(LocalImages local, string image, CancellationToken cancellationToken) =>
        ContainerImages.ResolveAsync(local, image, options.PullPolicy, async () =>
        {
            PullResult pulled = await RegistryPull.PullAsync(context, Connector(), new PullOptions(image), options.Quiet, cancellationToken);
            return pulled.Image;
        }, null);

    private async Task<ImageRecord> StepAsync(
        BuildInstruction step, BuildState state, LocalImages local, ContainerLifecycle lifecycle, BuildContainers containers, Containerfile file, bool last, CancellationToken cancellationToken)
    {
        var words = new WordExpander(name => Use(name, state.Lookup(name)), file.Escape);
        ImageContainerConfig config = state.Config;
        string nop = "/bin/sh -c #(nop) " + step.Original;
        if (!Known.Contains(step.Keyword))
        {
            throw SkiffException.InvalidArgument($"building at STEP \"{step.Original}\": Build error: Unknown instruction: \"{step.Keyword}\"", "see the Containerfile reference for the instructions a build understands");
        }

        switch (step.Keyword)
        {
            case "ENV":
                var env = (config.Env ?? []).ToList();
                foreach ((string key, string value) in Pairs(step, words))
                {
                    env.RemoveAll(e => e == key || e.StartsWith(key + "=", StringComparison.Ordinal));
                    env.Add($"{key}={value}");
                }

                state.Config = config with { Env = env };
                break;
            case "LABEL":
                var labels = new Dictionary<string, string>(config.Labels ?? new Dictionary<string, string>());
                foreach ((string key, string value) in Pairs(step, words))
                {
                    labels[key] = value;
                }

                state.Config = config with { Labels = labels };
                break;
            case "MAINTAINER":
                break;
            case "ARG":
                nop = "/bin/sh -c #(nop) ARG " + string.Join(' ', DeclareArgs(step, state.Args, state.Lookup, file.Escape));
                break;
            case "WORKDIR":
                string directory = words.Word(step.Arguments.Trim());
                state.Config = config with { WorkingDir = directory.StartsWith('/') ? TreePathJoin("/", directory) : TreePathJoin(config.WorkingDir is { Length: > 0 } wd ? wd : "/", directory) };
                break;
            case "USER":
                state.Config = config with { User = words.Word(step.Arguments.Trim()) };
                break;
            case "EXPOSE":
                state.Config = ImageChanges.Apply(config, ["EXPOSE " + string.Join(' ', words.Words(step.Arguments))]);
                break;
            case "VOLUME":
                IReadOnlyList<string> volumes = step.ExecForm is { } list ? list.Select(words.Word).ToList() : words.Words(step.Arguments);
                var set = new Dictionary<string, EmptyObject>(config.Volumes ?? new Dictionary<string, EmptyObject>());
                foreach (string volume in volumes)
                {
                    set[volume] = new EmptyObject();
                }

                state.Config = config with { Volumes = set };
                break;
            case "STOPSIGNAL":
                state.Config = config with { StopSignal = words.Word(step.Arguments.Trim()) };
                break;
            case "CMD":
                state.Config = config with { Cmd = Command(step, state) };
                state.CmdSet = true;
                break;
            case "ENTRYPOINT":
                state.Config = config with { Entrypoint = Command(step, state), Cmd = state.CmdSet ? config.Cmd : null };
                break;
            case "SHELL":
                state.Shell = step.ExecForm is { Count: > 0 } shell ? shell : throw StepError(step, "SHELL requires the arguments to be in JSON form", "write SHELL [\"/bin/bash\", \"-c\"]");
                state.Config = options.DockerFormat ? config with { Shell = state.Shell } : config;
                break;
            case "HEALTHCHECK":
                HealthConfig health = Healthcheck(step);
                state.Config = options.DockerFormat ? config with { Healthcheck = health } : config;
                break;
            case "ONBUILD":
                string trigger = step.Arguments.Trim();
                string keyword = trigger.Split(' ', 2)[0].ToUpperInvariant();
                if (keyword is "ONBUILD" or "FROM" or "MAINTAINER")
                {
                    throw StepError(step, $"{keyword} isn't allowed as an ONBUILD trigger");
                }

                state.Config = options.DockerFormat ? config with { OnBuild = [.. config.OnBuild ?? [], trigger] } : config;
                break;
            case "RUN":
                return await RunAsync(step, state, local, containers, last, cancellationToken);
            case "COPY" or "ADD":
                return await CopyAsync(step, state, words, local, lifecycle, containers, last, cancellationToken);
        }

        if (!options.DockerFormat && step.Keyword is "HEALTHCHECK" or "ONBUILD" or "SHELL")
        {
            // podman's warning: the OCI image config has no place for these (the build still uses SHELL).
            context.Error.WriteLine(step.Keyword == "HEALTHCHECK"
                ? "Warning: HEALTHCHECK is not supported for OCI image format and will be ignored. Must use `docker` format"
                : $"Warning: {step.Keyword} is not supported for OCI image format, {step.Arguments.Trim()} will be ignored. Must use `docker` format");
        }

        return await CommitAsync(state, local, nop, last, cancellationToken);
    }

    private async Task<ImageRecord> RunAsync(BuildInstruction step, BuildState state, LocalImages local, BuildContainers containers, bool last, CancellationToken cancellationToken)
    {
        foreach ((string flag, _) in step.Flags)
        {
            throw StepError(step, $"RUN --{flag} is not supported yet");
        }

        IReadOnlyList<string> argv = step.ExecForm ?? [.. state.Shell, step.Arguments];
        // Build args are in the environment of RUN only (an ENV of the same name wins), and history names them as podman does: |N K=V ...
        var args = state.Args.Where(a => a.Value is not null && state.Config.Env?.Any(e => e.StartsWith(a.Key + "=", StringComparison.Ordinal)) != true)
            .Select(a => $"{a.Key}={a.Value}").ToList();
        foreach (string arg in args)
        {
            usedArgs.Add(arg.Split('=', 2)[0]);
        }

        string createdBy = (args.Count > 0 ? $"|{args.Count.ToString(CultureInfo.InvariantCulture)} {string.Join(' ', args)} " : string.Empty) + string.Join(' ', argv);
        ContainerConfig container = await containers.CreateAsync(state.Image.Id, argv, args, cancellationToken);
        try
        {
            running = container.Id;
            int code = interrupted ? 130 : await containers.RunAsync(container.Id);
            running = null;
            if (interrupted)
            {
                throw new BuildInterruptedException();
            }

            if (code != 0)
            {
                throw new BuildStepFailedException($"building at STEP \"{step.Original}\": while running runtime: exit status {code.ToString(CultureInfo.InvariantCulture)}", code);
            }

            return await CommitContainerAsync(state, local, container, createdBy, last, cancellationToken);
        }
        finally
        {
            running = null;
            containers.Remove(container.Id);
        }
    }

    private async Task<ImageRecord> CopyAsync(
        BuildInstruction step, BuildState state, WordExpander words, LocalImages local, ContainerLifecycle lifecycle, BuildContainers containers, bool last, CancellationToken cancellationToken)
    {
        foreach ((string flag, _) in step.Flags)
        {
            if (flag is not ("chown" or "chmod") && !(flag == "from" && step.Keyword == "COPY"))
            {
                throw StepError(step, $"{step.Keyword} --{flag} is not supported yet");
            }
        }

        IReadOnlyList<string> all = step.ExecForm is { } list ? list.Select(words.Word).ToList() : words.Words(step.Arguments);
        if (all.Count < 2)
        {
            throw StepError(step, $"{step.Keyword} requires at least two arguments, but got {all.Count.ToString(CultureInfo.InvariantCulture)}");
        }

        string? chown = step.Flag("chown") is { } owner ? words.Word(owner) : null;
        string? chmod = step.Flag("chmod");
        string? fromName = step.Flag("from") is { } f ? words.Word(f) : null;
        ImageRecord? fromImage = fromName is null ? null : await CopySourceAsync(step, fromName, state, local, cancellationToken);
        ContainerConfig? source = null;
        ContainerConfig container = await containers.CreateAsync(state.Image.Id, ["true"], [], cancellationToken);
        try
        {
            source = fromImage is null ? null : await containers.CreateAsync(fromImage.Id, ["true"], [], cancellationToken);
            using (ContainerRoot? sourceRoot = source is null ? null : ContainerRoot.Open(lifecycle, source.Id))
            using (DirectoryHandle contextHandle = sourceRoot?.Handle.Duplicate() ?? DirectoryHandle.Open(options.ContextDirectory))
            using (ContainerRoot root = ContainerRoot.Open(lifecycle, container.Id))
            {
                // COPY --from reads the stage's or image's root, owners kept (as buildah), and no ignore file applies there.
                var copier = sourceRoot is null
                    ? new ContextCopier(contextHandle, options.ContextDirectory, Ignore())
                    : new ContextCopier(contextHandle, fromName!, IgnorePatterns.None) { KeepOwners = true };
                try
                {
                    copier.Copy(root, all.Take(all.Count - 1).ToList(), all[^1], state.Config.WorkingDir is { Length: > 0 } wd ? wd : "/", chown, chmod, step.Keyword == "ADD", step.Keyword);
                }
                catch (SkiffException e)
                {
                    throw new SkiffException(e.Kind, $"building at STEP \"{step.Original}\": {e.Message}", e.Hint);
                }
            }

            if (interrupted)
            {
                throw new BuildInterruptedException();
            }

            string createdBy = $"/bin/sh -c #(nop) {step.Keyword} {string.Join(' ', all.Take(all.Count - 1))} in {all[^1]} ";
            return await CommitContainerAsync(state, local, container, createdBy, last, cancellationToken);
        }
        finally
        {
            containers.Remove(container.Id);
            if (source is not null)
            {
                containers.Remove(source.Id);
            }
        }
    }

    /// <summary>COPY --from's image: an earlier stage by name or number, else an image (pulled as FROM's).</summary>
    private async Task<ImageRecord> CopySourceAsync(BuildInstruction step, string from, BuildState state, LocalImages local, CancellationToken cancellationToken)
    {
        if (stageNames.TryGetValue(from.ToLowerInvariant(), out int named))
        {
            return named < state.Stages.Count
                ? state.Stages[named]
                : throw StepError(step, $"stage \"{from}\" is not built before this one", "COPY --from names an earlier stage");
        }

        if (int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return number < state.Stages.Count
                ? state.Stages[number]
                : throw StepError(step, $"stage {from} is not built before this one", "COPY --from=N counts the stages from 0");
        }

        return await ImageAsync(local, from, cancellationToken);
    }

    private IgnorePatterns? ignore;

    private IgnorePatterns Ignore()
    {
        if (ignore is null)
        {
            string? path = new[] { ".containerignore", ".dockerignore" }.Select(n => Path.Combine(options.ContextDirectory, n)).FirstOrDefault(File.Exists);
            ignore = path is null ? IgnorePatterns.None : IgnorePatterns.Parse(File.ReadAllText(path));
        }

        return ignore;
    }

    private Task<ImageRecord> CommitContainerAsync(BuildState state, LocalImages local, ContainerConfig container, string createdBy, bool last, CancellationToken cancellationToken)
    {
        if (last)
        {
            SayCommit();
        }

        var committer = new ContainerCommitter(context, ContainerServices.Store(context));
        return committer.CommitAsync(container, state.Image, local, Options(state, createdBy, last), _ => { }, cancellationToken);
    }

    private Task<ImageRecord> CommitAsync(BuildState state, LocalImages local, string createdBy, bool last, CancellationToken cancellationToken)
    {
        if (last)
        {
            SayCommit();
        }

        return new LayerCommitter(local, ImageServices.Temporary(context)).CommitAsync(state.Image, null, Options(state, createdBy, last), _ => { }, cancellationToken);
    }

    private void SayCommit() => Say(options.Tags.Count > 0 ? $"COMMIT {options.GivenTags[0]}" : "COMMIT");

    private CommitOptions Options(BuildState state, string createdBy, bool last)
    {
        ImageContainerConfig config = state.Config;
        if (last && options.Labels.Count > 0)
        {
            var labels = new Dictionary<string, string>(config.Labels ?? new Dictionary<string, string>());
            foreach ((string key, string value) in options.Labels)
            {
                labels[key] = value;
            }

            config = config with { Labels = labels };
        }

        return new CommitOptions(last && options.Tags.Count > 0 ? options.Tags[0] : null, config, [], null, $"FROM {state.From}", options.DockerFormat, createdBy);
    }

    private IReadOnlyList<string> Command(BuildInstruction step, BuildState state) =>
        step.ExecForm ?? (step.Arguments.Trim().Length == 0 ? [] : [.. state.Shell, step.Arguments]);

    private static HealthConfig Healthcheck(BuildInstruction step)
    {
        string text = step.Arguments.Trim();
        if (text.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return new HealthConfig { Test = ["NONE"] };
        }

        if (!text.StartsWith("CMD", StringComparison.OrdinalIgnoreCase) || (text.Length > 3 && text[3] is not (' ' or '\t' or '[')))
        {
            throw StepError(step, "HEALTHCHECK takes NONE or CMD COMMAND", "write HEALTHCHECK --interval=30s CMD curl -f http://localhost/");
        }

        string command = text[3..].Trim();
        IReadOnlyList<string> test = ContainerfileParser.TryJsonArray(command) is { } exec ? ["CMD", .. exec] : ["CMD-SHELL", command];
        return new HealthConfig
        {
            Test = test,
            Interval = Duration(step, "interval"),
            Timeout = Duration(step, "timeout"),
            StartPeriod = Duration(step, "start-period"),
            Retries = step.Flag("retries") is { } retries
                ? int.TryParse(retries, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw StepError(step, $"invalid --retries value \"{retries}\"")
                : 0,
        };
    }

    private static long Duration(BuildInstruction step, string flag)
    {
        if (step.Flag(flag) is not { } text)
        {
            return 0;
        }

        return GoDuration.TryParse(text, out TimeSpan value)
            ? value.Ticks * 100
            : throw StepError(step, $"invalid --{flag} value: time: invalid duration \"{text}\"");
    }

    /// <summary>ENV and LABEL: <c>K=V K2="V 2"</c> (values substituted), or the older <c>K V</c> for one pair.</summary>
    private static IEnumerable<(string Key, string Value)> Pairs(BuildInstruction step, WordExpander words)
    {
        string text = step.Arguments.Trim();
        IReadOnlyList<string> split = words.Words(text);
        if (split.Count == 0)
        {
            throw StepError(step, $"{step.Keyword} requires at least one argument");
        }

        if (!split[0].Contains('='))
        {
            int space = text.IndexOfAny([' ', '\t']);
            if (space < 0)
            {
                throw StepError(step, $"{step.Keyword} names must be followed by a value: {text}");
            }

            return [(words.Word(text[..space]), words.Word(text[(space + 1)..].Trim()))];
        }

        var pairs = new List<(string, string)>();
        foreach (string word in split)
        {
            int equals = word.IndexOf('=');
            if (equals <= 0)
            {
                throw StepError(step, $"{step.Keyword} expects KEY=VALUE, got \"{word}\"");
            }

            pairs.Add((word[..equals], word[(equals + 1)..]));
        }

        return pairs;
    }

    /// <summary>ARG NAME[=DEFAULT]...: the value is --build-arg's when given, else the default.</summary>
    /// <returns>The names declared, as podman's history lists them.</returns>
    private List<string> DeclareArgs(BuildInstruction step, Dictionary<string, string?> into, Func<string, string?> lookup, char escape)
    {
        var names = new List<string>();
        foreach (string word in new WordExpander(lookup, escape).Words(step.Arguments))
        {
            int equals = word.IndexOf('=');
            string name = equals < 0 ? word : word[..equals];
            string? fallback = equals < 0 ? null : word[(equals + 1)..];
            if (options.BuildArgs.TryGetValue(name, out string? given))
            {
                usedArgs.Add(name);
                into[name] = given ?? Environment.GetEnvironmentVariable(name) ?? fallback;
            }
            else
            {
                into[name] = fallback;
            }

            names.Add(name);
        }

        return names;
    }

    /// <summary>A variable looked up for substitution: a --build-arg it names counts as used.</summary>
    private string? Use(string name, string? value)
    {
        if (value is not null && options.BuildArgs.ContainsKey(name))
        {
            usedArgs.Add(name);
        }

        return value;
    }

    private static string TreePathJoin(string parent, string child) =>
        "/" + string.Join('/', Skiff.Images.Files.TreePath.Components(parent + "/" + child));

    private void Say(string line)
    {
        if (!options.Quiet)
        {
            // podman's "--> ID" lines have no stage prefix.
            context.Out.WriteLine(line.StartsWith("-->", StringComparison.Ordinal) ? line : prefix + line);
            context.Out.Flush();
        }
    }

    private static SkiffException StepError(BuildInstruction step, string message, string? hint = null) =>
        SkiffException.InvalidArgument($"building at STEP \"{step.Original}\": {message}", hint);
}
