using System.CommandLine;
using Skiff.Cli.Commands.Registry;
using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Skiff.Images.Registry.Pulling;
using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Logs;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;
using Skiff.Runtime.Secrets;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.Containers;

/// <summary>Turns run/create flags into a stored container with its OCI bundle.</summary>
public sealed class ContainerCreator(CliContext context, CreateOptions options)
{
    /// <summary>The engine as <c>/run/.containerenv</c> names it (podman's "podman-4.3.1").</summary>
    public static string Engine => "skiff-" + System.VersionCommand.Version;

    private bool autoRemove;

    /// <param name="remove">--rm forced on (run's --rmi implies it).</param>
    public async Task<ContainerConfig> CreateAsync(ParseResult parse, bool detach, CancellationToken cancellationToken, bool remove = false)
    {
        _ = detach;
        autoRemove = remove;
        string id = ContainerIds.New();
        try
        {
            return await CreateAsync(parse, id, cancellationToken);
        }
        catch
        {
            // A flag refused after the image's snapshot was prepared must not leave the snapshot behind.
            ContainerServices.Store(context).DiscardSnapshot(id);
            throw;
        }
    }

    private async Task<ContainerConfig> CreateAsync(ParseResult parse, string id, CancellationToken cancellationToken)
    {
        // Before anything is created: a malformed flag value (pflag's parse), then podman refuses an existing --cidfile,
        // then --replace removes the old container.
        CreationFlags.ParseTimeout(parse.GetValue(options.Creation.Timeout));
        SdNotifyModes.Parse(parse.GetValue(options.Creation.SdNotify));
        using ContainerIdFile? idFile = options.Creation.ClaimIdFile(parse);
        options.Creation.ReplaceExisting(parse, parse.GetValue(options.Name), context);
        string image = parse.GetValue(options.Image)!;
        string[] command = parse.GetValue(options.Command) ?? [];
        bool tty = parse.GetValue(options.Tty);
        bool interactive = parse.GetValue(options.Interactive);
        // Refused here, as docker does, rather than by the runtime at start, which left a created container behind.
        string? workdir = parse.GetValue(options.Workdir) is { Length: > 0 } given ? given : null;
        if (workdir is not null && workdir[0] != '/')
        {
            throw SkiffException.InvalidArgument(
                $"the working directory '{workdir}' is invalid, it needs to be an absolute path",
                "give -w an absolute path inside the container, e.g. -w /src");
        }

        string systemdSetting = SystemdMode.Parse(parse.GetValue(options.Systemd));
        string? restartFlag = parse.GetValue(options.Restart);
        autoRemove |= parse.GetValue(options.Remove);
        RestartPolicy.CheckAutoRemove(restartFlag, autoRemove);
        (string restartPolicy, int restartRetries) = RestartPolicy.Parse(restartFlag);
        HealthRequest health = options.Health.Request(parse);
        string seccompPolicy = SeccompPolicy.Validate(parse.GetValue(options.SeccompPolicy));

        ContainerStore store = ContainerServices.Store(context);
        IReadOnlyList<ContainerMount> requestedMounts = VolumesFrom.Merge(
            MountFlags.Parse(parse.GetValue(options.Volume) ?? [], parse.GetValue(options.Mount) ?? [], parse.GetValue(options.Tmpfs) ?? []),
            VolumesFrom.Resolve(store, parse.GetValue(options.VolumesFrom) ?? []));
        if (parse.GetValue(options.ReadOnly) && parse.GetValue(options.ReadOnlyTmpfs))
        {
            requestedMounts = ImageVolumes.AddTmpfs(requestedMounts, ImageVolumes.ReadOnlyTmpfsDestinations);
        }

        string imageVolumeMode = ImageVolumes.ParseMode(parse.GetValue(options.ImageVolume));
        // Log options and limits are checked before anything is stored, so a refused --log-opt or --memory leaves nothing behind.
        string logDriver = LogDrivers.Validate(parse.GetValue(options.LogDriver) ?? LogDrivers.K8sFile);
        LogOptions logOptions = LogOptions.Parse(parse.GetValue(options.LogOpt) ?? [], Environment.CurrentDirectory);
        var cgroups = ContainerCgroups.ForHost(context.User.Rootless, context.CgroupManager, context.User.Uid);
        CgroupResources resources = cgroups.WithDefaults(cgroups.Supported(options.Resources.Parse(parse) with { BlockIoLimits = options.Devices.BlockIo.Limits(parse, keepZeros: false) }, context.Error.WriteLine));
        string cgroupsMode = CgroupsMode.Parse(parse.GetValue(options.Cgroups));
        string? cgroupParent = parse.GetValue(options.CgroupParent);
        CgroupPlan? cgroupPlan = cgroups.Plan(id, resources, cgroupParent, cgroupsMode);
        // An unknown network is reported before an image is pulled for nothing.
        NetworkSelection? networks = options.Networks(parse);
        foreach (string requested in networks?.Networks ?? [])
        {
            ContainerServices.Networks(context).Find(requested);
        }

        if (networks is not null && NetworkMode.Parse(networks.Mode) is { Joins: true } joined)
        {
            // Kept as podman shows it: container:FULLID.
            var mode = new Runtime.Namespaces.NamespaceMode(
                joined.Kind == NetworkKind.Container ? Runtime.Namespaces.NamespaceModeKind.Container : Runtime.Namespaces.NamespaceModeKind.Path, joined.Network);
            networks = networks with { Mode = NamespaceFlags.Resolve(mode, "net", "network", store).ToString() };
        }

        NamespaceModes namespaceModes = options.Namespaces.Resolve(parse, store, parse.GetValue(options.Hostname) is not null);

        // Held until the container is stored, so two --userns=auto creates never pick the same ids.
        using IDisposable? autoLock = parse.GetValue(options.UserNamespace.Userns)?.StartsWith("auto", StringComparison.Ordinal) == true
            ? UserNamespaceFlags.AutoLock(store)
            : null;
        Rootless.IdMaps.UserNamespacePlan userns = options.UserNamespace.Plan(context, store, parse);
        bool sizedByImage = options.UserNamespace.SizedByImage(parse);
        ContainerImage? fromImage = null;
        string? rootfs = null;
        if (parse.GetValue(options.Rootfs))
        {
            rootfs = Path.GetFullPath(image);
            if (!Directory.Exists(rootfs))
            {
                throw SkiffException.NotFound($"rootfs {rootfs} does not exist", "give the directory of an exploded root filesystem");
            }
        }
        else
        {
            Skiff.Images.Manifests.Platform? platform = options.Platform.Resolve(parse);
            fromImage = await new ContainerImages(context).PrepareAsync(image, store.SnapshotDirectory(id), parse.GetValue(options.Pull) ?? "missing", async () =>
            {
                var pullOptions = new PullOptions(image) { Platform = platform };
                PullResult pulled = await RegistryPull.PullAsync(context, options.Registry.Connector(parse, context), pullOptions, parse.GetValue(options.Quiet), cancellationToken);
                return pulled.Image;
            }, accountIds =>
            {
                // --userns=auto without a size: podman sizes the block by the image, now that its layers are here.
                if (sizedByImage)
                {
                    userns = options.UserNamespace.Plan(context, store, parse, accountIds());
                }

                return context.User.Rootless ? userns.Map : null;
            }, platform);
        }

        string? entrypointFlag = parse.GetValue(options.Entrypoint);
        IReadOnlyList<string> entrypoint = entrypointFlag is null
            ? fromImage?.Entrypoint ?? []
            : entrypointFlag.Length == 0 ? [] : [entrypointFlag];
        IReadOnlyList<string> cmd = command.Length > 0
            ? command
            : entrypointFlag is null && fromImage is not null && fromImage.Cmd.Count > 0 ? fromImage.Cmd
            : [];
        if (entrypoint.Count == 0 && cmd.Count == 0)
        {
            // podman's wording; docker says "no command specified". Both exit 125.
            throw SkiffException.InvalidArgument(
                "no command or entrypoint provided, and no CMD or ENTRYPOINT from image",
                "give the command after the image, e.g. 'skiff run IMAGE sh'");
        }

        // podman decides on the whole argv, its init's path first with --init (so --init turns the mode off).
        bool systemd = SystemdMode.Applies(systemdSetting, parse.GetValue(options.Init) ? [ContainerInitBinary.MountPoint, "--", .. entrypoint, .. cmd] : [.. entrypoint, .. cmd]);
        string? name = parse.GetValue(options.Name);
        string runtime = parse.GetValue(options.Runtime) is { } runtimeFlag
            ? OciRuntimes.Resolve(runtimeFlag, Environment.GetEnvironmentVariable("PATH"))
            : OciRuntimes.DefaultProgram();
        if (cgroupsMode == CgroupsMode.Disabled && runtime != OciRuntimes.BuiltIn)
        {
            // runc and crun make a group of their own when the bundle names none (podman hands crun a flag to stop that).
            throw SkiffException.InvalidArgument(
                $"requested OCI runtime {Path.GetFileName(runtime)} is not compatible with NoCgroups: invalid argument",
                "use the built-in runtime (no --runtime) with --cgroups=disabled");
        }

        ContainerConfig config = new ContainerConfig
        {
            Id = id,
            Name = name is null ? ContainerNames.Random() : ContainerNames.Validate(name),
            Created = DateTimeOffset.UtcNow,
            // podman's Config.Image: the full name the reference resolved to (`busybox` → `localhost/busybox:latest`).
            Image = fromImage?.Name ?? image,
            ImageId = fromImage?.ImageId,
            RootfsPath = rootfs,
            RootfsMounts = fromImage?.RootfsMounts ?? [],
            RootfsOwnersShifted = fromImage is not null && context.User.Rootless && userns.Map is not null,
            Entrypoint = entrypoint,
            Cmd = cmd,
            Env = ContainerImages.MergeEnv(
                ContainerImages.MergeEnv(
                    // --env-host already brings them; podman passes the proxy variables only without it.
                    parse.GetValue(options.HttpProxy) && !parse.GetValue(options.EnvHost) ? ProxyEnvironment.From(Environment.GetEnvironmentVariable) : [],
                    Containers.EnvMerge.Apply(options.Process.ImageEnv(parse, fromImage?.Env ?? []), parse.GetValue(options.EnvMerge) ?? [])),
                EnvironmentFlags.Collect(parse.GetValue(options.Env) ?? [], parse.GetValue(options.EnvFile) ?? [], parse.GetValue(options.EnvHost))),
            WorkingDir = workdir ?? (fromImage?.WorkingDir is { Length: > 0 } imageDir ? imageDir : "/"),
            User = parse.GetValue(options.User) ?? fromImage?.User ?? string.Empty,
            GroupAdd = parse.GetValue(options.GroupAdd) ?? [],
            Passwd = parse.GetValue(options.Passwd) ? null : false,
            HostUsers = HostUsers.Resolve(parse.GetValue(options.HostUser) ?? []),
            ConmonPidFile = parse.GetValue(options.ConmonPidfile) is { Length: > 0 } conmonPidFile ? ContainerPidFile.Validate(conmonPidFile, "--conmon-pidfile") : null,
            Personality = parse.GetValue(options.Personality) is { } personality ? PersonalityFlag.Parse(personality) : null,
            PasswdEntry = parse.GetValue(options.PasswdEntry),
            Hostname = parse.GetValue(options.Hostname) ?? string.Empty,
            Tty = tty,
            OpenStdin = interactive,
            AutoRemove = autoRemove,
            Labels = KeyValueFlags.Parse([.. KeyValueFlags.ReadLabelFiles(parse.GetValue(options.LabelFile) ?? []), .. parse.GetValue(options.Label) ?? []]),
            LogDriver = logDriver,
            LogPath = logOptions.Path,
            LogMaxSize = logOptions.MaxSize,
            LogMaxFiles = logOptions.MaxFiles,
            LogTag = logOptions.Tag,
            // The image's STOPSIGNAL unless --stop-signal, as docker and podman; systemd's halt signal in systemd mode.
            StopSignal = parse.GetValue(options.StopSignal) ?? fromImage?.StopSignal ?? (systemd ? SystemdMode.StopSignal : "SIGTERM"),
            Systemd = systemd,
            StopTimeout = parse.GetValue(options.StopTimeout) ?? 10,
            ReadOnlyRootfs = parse.GetValue(options.ReadOnly),
            Init = parse.GetValue(options.Init),
            InitPath = parse.GetValue(options.Init) ? ContainerInitBinary.Find(context.SelfExecutable, parse.GetValue(options.InitPath)) : null,
            Ulimits = parse.GetValue(options.Ulimit) ?? [],
            DetachKeys = parse.GetValue(options.DetachKeys),
            RestartPolicy = restartFlag is null ? null : restartPolicy,
            RestartRetries = restartRetries,
            Runtime = runtime,
            Resources = resources,
            CgroupPath = cgroupPlan?.Group,
            CgroupParent = cgroupParent,
            CgroupsMode = cgroupsMode == CgroupsMode.Enabled ? null : cgroupsMode,
            Requires = RequiredContainers(store, parse.GetValue(options.Requires) ?? []),
            CgroupManager = cgroupPlan?.Manager == CgroupManagers.Systemd ? CgroupManagers.Systemd : null,
            CgroupNamespace = parse.GetValue(options.Cgroupns) switch
            {
                "host" => false,
                "private" => true,
                _ => cgroupPlan?.PrivateNamespace == true,
            },
            Privileged = parse.GetValue(options.Privileged),
            CapAdd = parse.GetValue(options.CapAdd) ?? [],
            CapDrop = parse.GetValue(options.CapDrop) ?? [],
            SecurityOpt = SeccompPolicy.Apply(seccompPolicy, SecurityOptFlags.Resolve(parse.GetValue(options.SecurityOpt) ?? []), fromImage?.Labels),
            // The flags' healthcheck, else the image's, as podman.
            Healthcheck = health.Resolve(fromImage?.Healthcheck),
        };
        // A missing secret or a bad --secret option is refused before anything is stored.
        SecretStore secrets = ContainerServices.Secrets(context);
        config = config with { Secrets = options.Secrets.Resolve(parse, secrets) };
        config = options.Creation.Apply(parse, config, image);
        config = options.Process.Apply(parse, config, context.User.Rootless);
        config = options.Devices.Apply(parse, config, context.User.Rootless);
        config = UserNamespaceFlags.Apply(context, config, userns, parse.GetValue(options.User) is not null);
        config = options.NetworkFlags.Apply(parse, config, networks, fromImage?.ExposedPorts ?? []);
        config = NamespaceFlags.Apply(config, namespaceModes, store);
        DeviceFlags.CheckShmSize(config);
        config = config with { Sysctls = ContainerSysctls.Parse(parse.GetValue(options.Sysctl) ?? [], config.NetworkMode, config.IpcMode) };

        // Held until the container is stored: its address is taken from those of the stored containers.
        using Runtime.Fds.DescriptorLock? networkLock = networks is { Networks.Count: > 0 }
            ? ContainerServices.Networks(context).Lock()
            : null;
        if (networkLock is not null)
        {
            // One interface per network in the order given; the aliases apply on every network (podman).
            var allocator = new EndpointAllocator(ContainerServices.Networks(context), store);
            var endpoints = new List<NetworkEndpoint>();
            foreach (NetworkAttachment attachment in networks!.Attachments)
            {
                EndpointRequest request = options.NetworkFlags.Request(parse, attachment);
                string interfaceName = request.InterfaceName ?? NetworkInterfaceNames.NextFree(endpoints);
                if (endpoints.Any(e => e.InterfaceName == interfaceName))
                {
                    throw SkiffException.InvalidArgument(
                        $"interface name {interfaceName} is used on two networks",
                        "give each network's interface_name= a name of its own");
                }

                endpoints.Add(allocator.Allocate(attachment.Network, request, interfaceName));
            }

            config = config with { NetworkMode = endpoints[0].Network, NetworkEndpoints = endpoints };
        }

        Signals.Parse(config.StopSignal);
        BundleWriter.ValidateUser(config.User);
        KeepGroups.Validate(config.GroupAdd, config.Runtime, OciRuntimes.BuiltIn);
        IdmappedVolumes.Validate(config with { Mounts = requestedMounts }, context.User.Rootless);
        if (config.DetachKeys is not null)
        {
            DetachKeys.Parse(config.DetachKeys);
        }

        IReadOnlyList<string> imageVolumes = imageVolumeMode == ImageVolumes.Bind ? fromImage?.Volumes ?? [] : [];
        if (imageVolumeMode == ImageVolumes.Tmpfs)
        {
            requestedMounts = ImageVolumes.AddTmpfs(requestedMounts, fromImage?.Volumes ?? []);
        }

        bool anyVolume = requestedMounts.Any(m => m.Type == "volume") || imageVolumes.Count > 0;
        VolumeStore volumes = ContainerServices.Volumes(context);
        var anonymous = new List<string>();

        // Held until the container is stored, so that 'volume rm' either sees this container or runs before it.
        using IDisposable? volumeLock = anyVolume ? volumes.Lock() : null;
        try
        {
            config = config with { Mounts = ResolveVolumes(requestedMounts, imageVolumes, volumes, anonymous) };
            config = StoreWithFreeName(store, config, randomName: name is null);
        }
        catch
        {
            anonymous.ForEach(volumes.Remove);
            throw;
        }

        try
        {
            // The network's hosts and resolv.conf first: the bundle writer only fills in what is missing, so no
            // file is written twice (a truncated file's blocks are discarded synchronously on ext4 without a journal).
            ContainerSecretFiles.Write(store.Directory(config.Id), config.Secrets, secret => secrets.ReadData(secrets.Get(secret.Id)));
            ContainerEtcFiles.WriteFromHost(store.Directory(config.Id), config, context.User.Rootless);
            new BundleWriter(store).Write(config, context.User.Rootless, Runtime.Terminal.TerminalSize.TryGet(0), Engine);
            idFile?.Write(config.Id);
        }
        catch
        {
            store.Remove(config.Id);
            anonymous.ForEach(volumes.Remove);
            throw;
        }

        store.RecordEvent(config, "create");

        return config;
    }

    /// <summary>podman's --requires: names or ids, repeated or comma-separated, each an existing container, kept as full ids.</summary>
    private static List<string> RequiredContainers(ContainerStore store, IEnumerable<string> values)
    {
        var ids = new List<string>();
        foreach (string name in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            string id = store.TryResolve(name) ?? throw SkiffException.NotFound(
                $"\"{name}\" is not a valid container, cannot be used as a dependency: no container with name or ID \"{name}\" found: no such container",
                "create that container first, or check 'skiff ps -a'");
            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>
    /// Stores the container. A generated name that another container already has is drawn again, as docker
    /// does: there are 2,000 of them, so with 20 containers stored one run in a hundred failed with a name conflict.
    /// </summary>
    private static ContainerConfig StoreWithFreeName(ContainerStore store, ContainerConfig config, bool randomName)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return store.Create(config);
            }
            catch (SkiffException e) when (randomName && e.Kind == ErrorKind.Conflict && attempt < 50)
            {
                config = config with { Name = ContainerNames.Random() };
            }
        }
    }

    /// <summary>
    /// Gives every volume mount its volume: named ones are created on first use, anonymous ones (-v /dst,
    /// and the image's VOLUME paths no flag covers) get a new random volume, recorded in <paramref name="anonymous"/>.
    /// </summary>
    private static List<ContainerMount> ResolveVolumes(IReadOnlyList<ContainerMount> requested, IReadOnlyList<string> imageVolumes, VolumeStore volumes, List<string> anonymous)
    {
        var result = new List<ContainerMount>();
        foreach (ContainerMount mount in requested)
        {
            if (mount.Type != "volume")
            {
                result.Add(mount);
                continue;
            }

            VolumeRecord record = mount.Name is null ? volumes.Create(null, anonymous: true) : volumes.GetOrCreate(mount.Name);
            if (mount.Name is null)
            {
                anonymous.Add(record.Name);
            }

            result.Add(mount with { Name = record.Name, Source = volumes.DataPath(record.Name) });
        }

        var covered = result.Select(m => CleanDestination(m.Destination)).ToHashSet(StringComparer.Ordinal);
        foreach (string path in imageVolumes)
        {
            string destination = CleanDestination(path);
            if (destination == "/" || !covered.Add(destination))
            {
                continue;
            }

            VolumeRecord record = volumes.Create(null, anonymous: true);
            anonymous.Add(record.Name);
            result.Add(new ContainerMount("volume", volumes.DataPath(record.Name), destination, record.Name, []));
        }

        return result;
    }

    private static string CleanDestination(string path) => "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
}
