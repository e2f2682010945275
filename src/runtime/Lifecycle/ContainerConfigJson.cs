using System.Buffers;
using System.Text.Json;
using Skiff.Core.IdMaps;
using Skiff.Core.Mounts;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Json;
using static Skiff.Core.Json.JsonFields;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// config.json of a container, read and written with <see cref="Utf8JsonReader"/> and <see cref="Utf8JsonWriter"/>
/// by hand: the CLI writes it and the monitor reads it on every container's start, and System.Text.Json's
/// generated metadata for <see cref="ContainerConfig"/> and its 25 member types is built at the first use in
/// each process through reflection that is slow under NativeAOT (1–2 ms of CPU per process, see
/// <see cref="Spec.SpecJsonReader"/>). The file is byte for byte what <see cref="ContainerJsonContext"/> writes
/// (indented, camelCase, nulls left out, computed members such as <c>systemdCgroup</c> written and ignored
/// when read), and reading follows its rules (required members, JSON null, unknown members skipped);
/// ContainerConfigJsonTests compares the two.
/// </summary>
public static class ContainerConfigJson
{
    private const string TypeName = "Skiff.Runtime.Lifecycle.ContainerConfig";

    public static byte[] Write(ContainerConfig config)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("id"u8, config.Id);
            w.WriteString("name"u8, config.Name);
            w.WriteString("created"u8, config.Created);
            w.WriteString("image"u8, config.Image);
            w.WriteOptionalString("imageId"u8, config.ImageId);
            w.WriteOptionalString("rootfsPath"u8, config.RootfsPath);
            WriteList(w, "rootfsMounts"u8, config.RootfsMounts, static (w, m) =>
            {
                w.WriteStartObject();
                w.WriteOptionalString("type"u8, m.Type);
                w.WriteOptionalString("source"u8, m.Source);
                w.WriteOptionalString("destination"u8, m.Destination);
                WriteStrings(w, "options"u8, m.Options);
                w.WriteEndObject();
            });
            WriteStrings(w, "entrypoint"u8, config.Entrypoint);
            WriteStrings(w, "cmd"u8, config.Cmd);
            WriteStrings(w, "env"u8, config.Env);
            w.WriteOptionalString("workingDir"u8, config.WorkingDir);
            w.WriteOptionalString("user"u8, config.User);
            WriteStrings(w, "groupAdd"u8, config.GroupAdd);
            w.WriteOptionalString("hostname"u8, config.Hostname);
            w.WriteBoolean("tty"u8, config.Tty);
            w.WriteBoolean("openStdin"u8, config.OpenStdin);
            w.WriteBoolean("autoRemove"u8, config.AutoRemove);
            WriteMap(w, "labels"u8, config.Labels);
            WriteMap(w, "sysctls"u8, config.Sysctls);
            w.WriteOptionalString("logDriver"u8, config.LogDriver);
            w.WriteOptionalString("logPath"u8, config.LogPath);
            w.WriteOptionalNumber("logMaxSize"u8, config.LogMaxSize);
            w.WriteOptionalNumber("logMaxFiles"u8, config.LogMaxFiles);
            w.WriteOptionalString("logTag"u8, config.LogTag);
            w.WriteOptionalString("stopSignal"u8, config.StopSignal);
            w.WriteNumber("stopTimeout"u8, config.StopTimeout);
            w.WriteOptionalNumber("timeout"u8, config.Timeout);
            w.WriteOptionalString("networkMode"u8, config.NetworkMode);
            WriteList(w, "networkEndpoints"u8, config.NetworkEndpoints, static (w, endpoint) =>
            {
                w.WriteStartObject();
                w.WriteOptionalString("network"u8, endpoint.Network);
                w.WriteOptionalString("networkId"u8, endpoint.NetworkId);
                w.WriteOptionalString("ipAddress"u8, endpoint.IPAddress);
                w.WriteNumber("prefixLength"u8, endpoint.PrefixLength);
                w.WriteOptionalString("gateway"u8, endpoint.Gateway);
                WriteStrings(w, "aliases"u8, endpoint.Aliases);
                w.WriteOptionalString("bridge"u8, endpoint.Bridge);
                w.WriteBoolean("internal"u8, endpoint.Internal);
                w.WriteBoolean("dnsEnabled"u8, endpoint.DnsEnabled);
                w.WriteOptionalString("interface"u8, endpoint.Interface);
                w.WriteOptionalString("ipv6Address"u8, endpoint.Ipv6Address);
                if (endpoint.Ipv6PrefixLength is int ipv6Prefix)
                {
                    w.WriteNumber("ipv6PrefixLength"u8, ipv6Prefix);
                }

                w.WriteOptionalString("ipv6Gateway"u8, endpoint.Ipv6Gateway);
                w.WriteOptionalString("macAddress"u8, endpoint.MacAddress);
                w.WriteEndObject();
            });
            WriteList(w, "ports"u8, config.Ports, static (w, p) =>
            {
                w.WriteStartObject();
                w.WriteOptionalString("hostIp"u8, p.HostIp);
                w.WriteNumber("hostPort"u8, p.HostPort);
                w.WriteNumber("containerPort"u8, p.ContainerPort);
                w.WriteOptionalString("protocol"u8, p.Protocol);
                w.WriteEndObject();
            });
            WriteStrings(w, "dns"u8, config.Dns);
            WriteStrings(w, "dnsSearch"u8, config.DnsSearch);
            WriteStrings(w, "dnsOptions"u8, config.DnsOptions);
            WriteStrings(w, "extraHosts"u8, config.ExtraHosts);
            w.WriteBoolean("noHosts"u8, config.NoHosts);
            w.WriteBoolean("publishAll"u8, config.PublishAll);
            w.WriteBoolean("readOnlyRootfs"u8, config.ReadOnlyRootfs);
            w.WriteBoolean("init"u8, config.Init);
            w.WriteBoolean("systemd"u8, config.Systemd);
            w.WriteOptionalString("initPath"u8, config.InitPath);
            WriteList(w, "mounts"u8, config.Mounts, static (w, m) =>
            {
                w.WriteStartObject();
                w.WriteOptionalString("type"u8, m.Type);
                w.WriteOptionalString("source"u8, m.Source);
                w.WriteOptionalString("destination"u8, m.Destination);
                w.WriteOptionalString("name"u8, m.Name);
                WriteStrings(w, "options"u8, m.Options);
                if (m.Options is not null)
                {
                    w.WriteBoolean("readOnly"u8, m.ReadOnly);
                }

                w.WriteOptionalString("fromContainer"u8, m.FromContainer);
                w.WriteEndObject();
            });
            WriteStrings(w, "ulimits"u8, config.Ulimits);
            w.WriteOptionalString("detachKeys"u8, config.DetachKeys);
            w.WriteOptionalString("restartPolicy"u8, config.RestartPolicy);
            w.WriteNumber("restartRetries"u8, config.RestartRetries);
            if (config.Resources is { } resources)
            {
                w.WriteStartObject("resources"u8);
                w.WriteOptionalNumber("memory"u8, resources.Memory);
                w.WriteOptionalNumber("memorySwap"u8, resources.MemorySwap);
                w.WriteOptionalNumber("cpuQuota"u8, resources.CpuQuota);
                w.WriteOptionalNumber("cpuPeriod"u8, resources.CpuPeriod);
                w.WriteOptionalNumber("cpuShares"u8, resources.CpuShares);
                w.WriteOptionalString("cpusetCpus"u8, resources.CpusetCpus);
                w.WriteOptionalNumber("pidsLimit"u8, resources.PidsLimit);
                if (resources.BlkioWeight is { } weight)
                {
                    w.WriteNumber("blkioWeight"u8, weight);
                }

                w.WriteOptionalNumber("memoryReservation"u8, resources.MemoryReservation);
                if (resources.BlockIoLimits is { } limits)
                {
                    WriteList(w, "blockIoLimits"u8, limits, static (w, l) =>
                    {
                        w.WriteStartObject();
                        w.WriteNumber("kind"u8, (int)l.Kind);
                        w.WriteOptionalString("path"u8, l.Path);
                        w.WriteNumber("major"u8, l.Major);
                        w.WriteNumber("minor"u8, l.Minor);
                        w.WriteNumber("value"u8, l.Value);
                        w.WriteEndObject();
                    });
                }

                if (resources.Devices is { } rules)
                {
                    WriteList(w, "devices"u8, rules, static (w, d) =>
                    {
                        w.WriteStartObject();
                        w.WriteBoolean("allow"u8, d.Allow);
                        w.WriteString("type"u8, d.Type.ToString());
                        w.WriteOptionalNumber("major"u8, d.Major);
                        w.WriteOptionalNumber("minor"u8, d.Minor);
                        w.WriteOptionalString("access"u8, d.Access);
                        w.WriteEndObject();
                    });
                }

                if (resources.MemorySwappiness is { } swappiness)
                {
                    w.WriteNumber("memorySwappiness"u8, swappiness);
                }

                if (resources.OomKillDisable is { } oomKillDisable)
                {
                    w.WriteBoolean("oomKillDisable"u8, oomKillDisable);
                }

                w.WriteOptionalString("cpusetMems"u8, resources.CpusetMems);
                w.WriteBoolean("isEmpty"u8, resources.IsEmpty);
                w.WriteEndObject();
            }

            w.WriteOptionalString("cgroupPath"u8, config.CgroupPath);
            w.WriteOptionalString("cgroupManager"u8, config.CgroupManager);
            w.WriteBoolean("cgroupNamespace"u8, config.CgroupNamespace);
            w.WriteOptionalString("cgroupParent"u8, config.CgroupParent);
            w.WriteOptionalString("cgroupsMode"u8, config.CgroupsMode);
            WriteStrings(w, "requires"u8, config.Requires);
            w.WriteBoolean("systemdCgroup"u8, config.SystemdCgroup);
            w.WriteBoolean("privileged"u8, config.Privileged);
            WriteStrings(w, "capAdd"u8, config.CapAdd);
            WriteStrings(w, "capDrop"u8, config.CapDrop);
            WriteStrings(w, "securityOpt"u8, config.SecurityOpt);
            w.WriteOptionalString("usernsMode"u8, config.UsernsMode);
            w.WriteOptionalString("pidMode"u8, config.PidMode);
            w.WriteOptionalString("ipcMode"u8, config.IpcMode);
            w.WriteOptionalString("utsMode"u8, config.UtsMode);
            if (config.IdMappings is { } map)
            {
                w.WriteStartObject("idMappings"u8);
                WriteIdMappings(w, "uids"u8, map.Uids);
                WriteIdMappings(w, "gids"u8, map.Gids);
                w.WriteEndObject();
            }

            w.WriteBoolean("rootfsOwnersShifted"u8, config.RootfsOwnersShifted);
            if (config.AddAccount is { } account)
            {
                w.WriteStartObject("addAccount"u8);
                w.WriteOptionalString("name"u8, account.Name);
                w.WriteNumber("uid"u8, account.Uid);
                w.WriteNumber("gid"u8, account.Gid);
                w.WriteOptionalString("home"u8, account.Home);
                w.WriteEndObject();
            }

            if (config.Passwd is bool passwd)
            {
                w.WriteBoolean("passwd"u8, passwd);
            }

            w.WriteOptionalString("passwdEntry"u8, config.PasswdEntry);
            WriteStrings(w, "hostUsers"u8, config.HostUsers);
            w.WriteOptionalString("conmonPidFile"u8, config.ConmonPidFile);
            w.WriteOptionalString("personality"u8, config.Personality);
            if (config.Healthcheck is { } health)
            {
                w.WriteStartObject("healthcheck"u8);
                WriteStrings(w, "test"u8, health.Test);
                w.WriteNumber("interval"u8, health.Interval);
                w.WriteNumber("timeout"u8, health.Timeout);
                w.WriteNumber("startPeriod"u8, health.StartPeriod);
                w.WriteNumber("retries"u8, health.Retries);
                w.WriteOptionalString("onFailure"u8, health.OnFailure);
                w.WriteEndObject();
            }

            WriteStrings(w, "unsetEnv"u8, config.UnsetEnv);
            w.WriteBoolean("unsetEnvAll"u8, config.UnsetEnvAll);
            WriteMap(w, "annotations"u8, config.Annotations);
            w.WriteOptionalString("pidFile"u8, config.PidFile);
            WriteStrings(w, "createCommand"u8, config.CreateCommand);
            w.WriteOptionalString("sdNotifyMode"u8, config.SdNotifyMode);
            w.WriteOptionalString("sdNotifySocket"u8, config.SdNotifySocket);
            WriteList(w, "devices"u8, config.Devices, static (w, d) =>
            {
                w.WriteStartObject();
                w.WriteOptionalString("pathOnHost"u8, d.PathOnHost);
                w.WriteOptionalString("pathInContainer"u8, d.PathInContainer);
                w.WriteOptionalString("permissions"u8, d.Permissions);
                w.WriteOptionalString("type"u8, d.Type);
                w.WriteNumber("major"u8, d.Major);
                w.WriteNumber("minor"u8, d.Minor);
                w.WriteNumber("fileMode"u8, d.FileMode);
                w.WriteNumber("uid"u8, d.Uid);
                w.WriteNumber("gid"u8, d.Gid);
                w.WriteEndObject();
            });
            WriteStrings(w, "deviceCgroupRules"u8, config.DeviceCgroupRules);
            w.WriteOptionalNumber("shmSize"u8, config.ShmSize);
            w.WriteOptionalString("timezone"u8, config.Timezone);
            w.WriteOptionalNumber("umask"u8, config.Umask);
            w.WriteOptionalNumber("oomScoreAdj"u8, config.OomScoreAdj);
            WriteList(w, "secrets"u8, config.Secrets, static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteString("name"u8, s.Name);
                w.WriteString("id"u8, s.Id);
                w.WriteString("type"u8, s.Type);
                w.WriteString("target"u8, s.Target);
                w.WriteNumber("uid"u8, s.Uid);
                w.WriteNumber("gid"u8, s.Gid);
                w.WriteNumber("mode"u8, s.Mode);
                w.WriteBoolean("isMount"u8, s.IsMount);
                w.WriteEndObject();
            });
            w.WriteOptionalString("runtime"u8, config.Runtime);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns null for a document that is JSON null; throws <see cref="JsonException"/> for anything else that is not a config.</summary>
    public static ContainerConfig? Read(ReadOnlySpan<byte> json) => Read(json, listing: false);

    /// <summary>
    /// <see cref="Read(ReadOnlySpan{byte})"/> of only what a container listing shows and filters on (ps): id, name,
    /// created, image, imageId, entrypoint, cmd, autoRemove, labels, mounts, networks, ports, healthcheck and runtime. Every other
    /// member is skipped unread (the root filesystem's long mount options, env, a seccomp profile in securityOpt)
    /// and reads as if it were missing; the document is still checked whole.
    /// </summary>
    public static ContainerConfig? ReadListing(ReadOnlySpan<byte> json) => Read(json, listing: true);

    private static ContainerConfig? Read(ReadOnlySpan<byte> json, bool listing)
    {
        var r = new Utf8JsonReader(json);
        try
        {
            ContainerConfig? config = Config(ref r, listing);
            if (r.Read())
            {
                throw new JsonException("unexpected content after the container config");
            }

            return config;
        }
        catch (JsonException e) when (e.LineNumber is null)
        {
            throw WithLine(json, r.TokenStartIndex, e.Message);
        }
    }

    private static ContainerConfig? Config(ref Utf8JsonReader r, bool listing)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        // Members are gathered in locals and the record is made once at the end: a `with` per member copied all
        // ~55 fields each time, 25 kB of garbage per config, which made `ps` over 100 containers run the GC.
        // As System.Text.Json's generated code, every init-only member is set, so one missing from the document
        // is null or zero, not the record's default (an empty list, "k8s-file", 10).
        string? idValue = null, nameValue = null, imageValue = null, imageId = null, rootfsPath = null, workingDir = null,
            user = null, hostname = null, logDriver = null, stopSignal = null, networkMode = null, initPath = null,
            detachKeys = null, restartPolicy = null, cgroupPath = null, cgroupManager = null, usernsMode = null, passwdEntry = null, personality = null, conmonPidFile = null, pidMode = null, ipcMode = null, utsMode = null,
            runtimeValue = null, logPath = null, logTag = null, cgroupParent = null, cgroupsMode = null;
        IReadOnlyList<string>? requires = null, hostUsers = null;
        long? logMaxSize = null;
        int? logMaxFiles = null;
        DateTimeOffset createdValue = default;
        IReadOnlyList<MountSpec>? rootfsMounts = null;
        IReadOnlyList<string>? entrypoint = null, cmd = null, env = null, groupAdd = null, dns = null, dnsSearch = null,
            dnsOptions = null, extraHosts = null, ulimits = null, capAdd = null, capDrop = null, securityOpt = null;
        bool tty = false, openStdin = false, autoRemove = false, publishAll = false, readOnlyRootfs = false, init = false, systemd = false,
            cgroupNamespace = false, privileged = false, rootfsOwnersShifted = false, noHosts = false;
        IReadOnlyDictionary<string, string>? labels = null, sysctls = null;
        int stopTimeout = 0, restartRetries = 0;
        IReadOnlyList<NetworkEndpoint>? networkEndpoints = null;
        NetworkEndpoint? legacyEndpoint = null;
        IReadOnlyList<PublishedPort>? ports = null;
        IReadOnlyList<ContainerMount>? mounts = null;
        CgroupResources? resources = null;
        IdMap? idMappings = null;
        ContainerAccount? addAccount = null;
        bool? passwd = null;
        Health.HealthCheckConfig? healthcheck = null;
        IReadOnlyList<string>? unsetEnv = null;
        IReadOnlyDictionary<string, string>? annotations = null;
        string? pidFile = null, timezone = null, sdNotifyMode = null, sdNotifySocket = null;
        IReadOnlyList<string>? createCommand = null;
        long? shmSize = null;
        IReadOnlyList<ContainerDevice>? devices = null;
        IReadOnlyList<string>? deviceCgroupRules = null;
        uint? umask = null;
        uint? timeout = null;
        int? oomScoreAdj = null;
        IReadOnlyList<ContainerSecret>? secrets = null;
        bool unsetEnvAll = false;
        bool id = false, name = false, created = false, image = false, runtime = false;
        while (NextProperty(ref r))
        {
            if (listing && !Listed(ref r)) { Skip(ref r); }
            else if (r.ValueTextEquals("id"u8)) { idValue = String(ref r); id = true; }
            else if (r.ValueTextEquals("name"u8)) { nameValue = String(ref r); name = true; }
            else if (r.ValueTextEquals("created"u8)) { createdValue = Timestamp(ref r); created = true; }
            else if (r.ValueTextEquals("image"u8)) { imageValue = String(ref r); image = true; }
            else if (r.ValueTextEquals("imageId"u8)) { imageId = String(ref r); }
            else if (r.ValueTextEquals("rootfsPath"u8)) { rootfsPath = String(ref r); }
            else if (r.ValueTextEquals("rootfsMounts"u8)) { rootfsMounts = List(ref r, RootfsMount); }
            else if (r.ValueTextEquals("entrypoint"u8)) { entrypoint = Strings(ref r); }
            else if (r.ValueTextEquals("cmd"u8)) { cmd = Strings(ref r); }
            else if (r.ValueTextEquals("env"u8)) { env = Strings(ref r); }
            else if (r.ValueTextEquals("workingDir"u8)) { workingDir = String(ref r); }
            else if (r.ValueTextEquals("user"u8)) { user = String(ref r); }
            else if (r.ValueTextEquals("groupAdd"u8)) { groupAdd = Strings(ref r); }
            else if (r.ValueTextEquals("hostname"u8)) { hostname = String(ref r); }
            else if (r.ValueTextEquals("tty"u8)) { tty = Bool(ref r); }
            else if (r.ValueTextEquals("openStdin"u8)) { openStdin = Bool(ref r); }
            else if (r.ValueTextEquals("autoRemove"u8)) { autoRemove = Bool(ref r); }
            else if (r.ValueTextEquals("labels"u8)) { labels = Map(ref r); }
            else if (r.ValueTextEquals("sysctls"u8)) { sysctls = Map(ref r); }
            else if (r.ValueTextEquals("logDriver"u8)) { logDriver = String(ref r); }
            else if (r.ValueTextEquals("logPath"u8)) { logPath = String(ref r); }
            else if (r.ValueTextEquals("logMaxSize"u8)) { logMaxSize = NullableInt64(ref r); }
            else if (r.ValueTextEquals("logMaxFiles"u8)) { logMaxFiles = NullableInt32(ref r); }
            else if (r.ValueTextEquals("logTag"u8)) { logTag = String(ref r); }
            else if (r.ValueTextEquals("stopSignal"u8)) { stopSignal = String(ref r); }
            else if (r.ValueTextEquals("stopTimeout"u8)) { stopTimeout = Int32(ref r); }
            else if (r.ValueTextEquals("timeout"u8)) { timeout = NullableUInt32(ref r); }
            else if (r.ValueTextEquals("networkMode"u8)) { networkMode = String(ref r); }
            else if (r.ValueTextEquals("networkEndpoints"u8)) { networkEndpoints = List(ref r, Endpoint); }
            else if (r.ValueTextEquals("networkEndpoint"u8)) { r.Read(); legacyEndpoint = Endpoint(ref r); }
            else if (r.ValueTextEquals("ports"u8)) { ports = List(ref r, Port); }
            else if (r.ValueTextEquals("dns"u8)) { dns = Strings(ref r); }
            else if (r.ValueTextEquals("dnsSearch"u8)) { dnsSearch = Strings(ref r); }
            else if (r.ValueTextEquals("dnsOptions"u8)) { dnsOptions = Strings(ref r); }
            else if (r.ValueTextEquals("extraHosts"u8)) { extraHosts = Strings(ref r); }
            else if (r.ValueTextEquals("noHosts"u8)) { noHosts = Bool(ref r); }
            else if (r.ValueTextEquals("publishAll"u8)) { publishAll = Bool(ref r); }
            else if (r.ValueTextEquals("readOnlyRootfs"u8)) { readOnlyRootfs = Bool(ref r); }
            else if (r.ValueTextEquals("init"u8)) { init = Bool(ref r); }
            else if (r.ValueTextEquals("systemd"u8)) { systemd = Bool(ref r); }
            else if (r.ValueTextEquals("initPath"u8)) { initPath = String(ref r); }
            else if (r.ValueTextEquals("mounts"u8)) { mounts = List(ref r, Mount); }
            else if (r.ValueTextEquals("ulimits"u8)) { ulimits = Strings(ref r); }
            else if (r.ValueTextEquals("detachKeys"u8)) { detachKeys = String(ref r); }
            else if (r.ValueTextEquals("restartPolicy"u8)) { restartPolicy = String(ref r); }
            else if (r.ValueTextEquals("restartRetries"u8)) { restartRetries = Int32(ref r); }
            else if (r.ValueTextEquals("resources"u8)) { resources = Resources(ref r); }
            else if (r.ValueTextEquals("cgroupPath"u8)) { cgroupPath = String(ref r); }
            else if (r.ValueTextEquals("cgroupManager"u8)) { cgroupManager = String(ref r); }
            else if (r.ValueTextEquals("cgroupNamespace"u8)) { cgroupNamespace = Bool(ref r); }
            else if (r.ValueTextEquals("cgroupParent"u8)) { cgroupParent = String(ref r); }
            else if (r.ValueTextEquals("cgroupsMode"u8)) { cgroupsMode = String(ref r); }
            else if (r.ValueTextEquals("requires"u8)) { requires = Strings(ref r); }
            else if (r.ValueTextEquals("privileged"u8)) { privileged = Bool(ref r); }
            else if (r.ValueTextEquals("capAdd"u8)) { capAdd = Strings(ref r); }
            else if (r.ValueTextEquals("capDrop"u8)) { capDrop = Strings(ref r); }
            else if (r.ValueTextEquals("securityOpt"u8)) { securityOpt = Strings(ref r); }
            else if (r.ValueTextEquals("usernsMode"u8)) { usernsMode = String(ref r); }
            else if (r.ValueTextEquals("pidMode"u8)) { pidMode = String(ref r); }
            else if (r.ValueTextEquals("ipcMode"u8)) { ipcMode = String(ref r); }
            else if (r.ValueTextEquals("utsMode"u8)) { utsMode = String(ref r); }
            else if (r.ValueTextEquals("idMappings"u8)) { idMappings = ObjectValue(ref r, IdMapValue); }
            else if (r.ValueTextEquals("rootfsOwnersShifted"u8)) { rootfsOwnersShifted = Bool(ref r); }
            else if (r.ValueTextEquals("addAccount"u8)) { addAccount = Account(ref r); }
            else if (r.ValueTextEquals("passwd"u8)) { passwd = OptionalBool(ref r); }
            else if (r.ValueTextEquals("passwdEntry"u8)) { passwdEntry = String(ref r); }
            else if (r.ValueTextEquals("hostUsers"u8)) { hostUsers = Strings(ref r); }
            else if (r.ValueTextEquals("personality"u8)) { personality = String(ref r); }
            else if (r.ValueTextEquals("conmonPidFile"u8)) { conmonPidFile = String(ref r); }
            else if (r.ValueTextEquals("healthcheck"u8)) { healthcheck = Healthcheck(ref r); }
            else if (r.ValueTextEquals("unsetEnv"u8)) { unsetEnv = Strings(ref r); }
            else if (r.ValueTextEquals("unsetEnvAll"u8)) { unsetEnvAll = Bool(ref r); }
            else if (r.ValueTextEquals("annotations"u8)) { annotations = Map(ref r); }
            else if (r.ValueTextEquals("pidFile"u8)) { pidFile = String(ref r); }
            else if (r.ValueTextEquals("createCommand"u8)) { createCommand = Strings(ref r); }
            else if (r.ValueTextEquals("sdNotifyMode"u8)) { sdNotifyMode = String(ref r); }
            else if (r.ValueTextEquals("sdNotifySocket"u8)) { sdNotifySocket = String(ref r); }
            else if (r.ValueTextEquals("devices"u8)) { devices = List(ref r, Device); }
            else if (r.ValueTextEquals("deviceCgroupRules"u8)) { deviceCgroupRules = Strings(ref r); }
            else if (r.ValueTextEquals("shmSize"u8)) { shmSize = NullableInt64(ref r); }
            else if (r.ValueTextEquals("timezone"u8)) { timezone = String(ref r); }
            else if (r.ValueTextEquals("umask"u8)) { umask = NullableUInt32(ref r); }
            else if (r.ValueTextEquals("oomScoreAdj"u8)) { oomScoreAdj = NullableInt32(ref r); }
            else if (r.ValueTextEquals("secrets"u8)) { secrets = List(ref r, Secret); }
            else if (r.ValueTextEquals("runtime"u8)) { runtimeValue = String(ref r); runtime = true; }
            else { Skip(ref r); }
        }

        Require(id, TypeName, "id");
        Require(name, TypeName, "name");
        Require(created, TypeName, "created");
        Require(image, TypeName, "image");
        Require(runtime, TypeName, "runtime");
        return new ContainerConfig
        {
            Id = idValue!,
            Name = nameValue!,
            Created = createdValue,
            Image = imageValue!,
            ImageId = imageId,
            RootfsPath = rootfsPath,
            RootfsMounts = rootfsMounts!,
            Entrypoint = entrypoint!,
            Cmd = cmd!,
            Env = env!,
            WorkingDir = workingDir!,
            User = user!,
            GroupAdd = groupAdd!,
            Hostname = hostname!,
            Tty = tty,
            OpenStdin = openStdin,
            AutoRemove = autoRemove,
            Labels = labels!,
            Sysctls = sysctls!,
            LogDriver = logDriver!,
            LogPath = logPath,
            LogMaxSize = logMaxSize,
            LogMaxFiles = logMaxFiles,
            LogTag = logTag,
            StopSignal = stopSignal!,
            StopTimeout = stopTimeout,
            Timeout = timeout,
            NetworkMode = networkMode!,
            NetworkEndpoints = networkEndpoints!,
            LegacyNetworkEndpoint = legacyEndpoint,
            Ports = ports!,
            Dns = dns!,
            DnsSearch = dnsSearch!,
            DnsOptions = dnsOptions!,
            ExtraHosts = extraHosts!,
            NoHosts = noHosts,
            PublishAll = publishAll,
            ReadOnlyRootfs = readOnlyRootfs,
            Init = init,
            Systemd = systemd,
            InitPath = initPath,
            Mounts = mounts!,
            Ulimits = ulimits!,
            DetachKeys = detachKeys,
            RestartPolicy = restartPolicy,
            RestartRetries = restartRetries,
            Resources = resources!,
            CgroupPath = cgroupPath,
            CgroupManager = cgroupManager,
            CgroupNamespace = cgroupNamespace,
            CgroupParent = cgroupParent,
            CgroupsMode = cgroupsMode,
            Requires = requires!,
            Privileged = privileged,
            CapAdd = capAdd!,
            CapDrop = capDrop!,
            SecurityOpt = securityOpt!,
            UsernsMode = usernsMode!,
            PidMode = pidMode!,
            IpcMode = ipcMode!,
            UtsMode = utsMode!,
            IdMappings = idMappings,
            RootfsOwnersShifted = rootfsOwnersShifted,
            AddAccount = addAccount,
            Passwd = passwd,
            PasswdEntry = passwdEntry,
            HostUsers = hostUsers!,
            Personality = personality,
            ConmonPidFile = conmonPidFile,
            Healthcheck = healthcheck,
            UnsetEnv = unsetEnv!,
            UnsetEnvAll = unsetEnvAll,
            Annotations = annotations!,
            PidFile = pidFile,
            CreateCommand = createCommand!,
            SdNotifyMode = sdNotifyMode,
            SdNotifySocket = sdNotifySocket,
            Devices = devices!,
            DeviceCgroupRules = deviceCgroupRules!,
            ShmSize = shmSize,
            Timezone = timezone,
            Umask = umask,
            OomScoreAdj = oomScoreAdj,
            Secrets = secrets!,
            Runtime = runtimeValue!,
        };
    }

    /// <summary>Whether the property at <paramref name="r"/> is one <see cref="ReadListing"/> reads.</summary>
    private static bool Listed(ref Utf8JsonReader r) =>
        r.ValueTextEquals("id"u8) || r.ValueTextEquals("name"u8) || r.ValueTextEquals("created"u8) || r.ValueTextEquals("image"u8)
        || r.ValueTextEquals("imageId"u8) || r.ValueTextEquals("entrypoint"u8) || r.ValueTextEquals("cmd"u8)
        || r.ValueTextEquals("autoRemove"u8) || r.ValueTextEquals("labels"u8) || r.ValueTextEquals("mounts"u8)
        || r.ValueTextEquals("networkEndpoints"u8) || r.ValueTextEquals("networkEndpoint"u8) || r.ValueTextEquals("ports"u8)
        || r.ValueTextEquals("runtime"u8) || r.ValueTextEquals("healthcheck"u8);

    private static Health.HealthCheckConfig? Healthcheck(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        IReadOnlyList<string>? test = null;
        long interval = 0, timeout = 0, startPeriod = 0;
        int retries = 0;
        string? onFailure = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("test"u8)) { test = Strings(ref r); }
            else if (r.ValueTextEquals("interval"u8)) { interval = Int64(ref r); }
            else if (r.ValueTextEquals("timeout"u8)) { timeout = Int64(ref r); }
            else if (r.ValueTextEquals("startPeriod"u8)) { startPeriod = Int64(ref r); }
            else if (r.ValueTextEquals("retries"u8)) { retries = Int32(ref r); }
            else if (r.ValueTextEquals("onFailure"u8)) { onFailure = String(ref r); }
            else { Skip(ref r); }
        }

        return new Health.HealthCheckConfig { Test = test!, Interval = interval, Timeout = timeout, StartPeriod = startPeriod, Retries = retries, OnFailure = onFailure! };
    }

    private static MountSpec? RootfsMount(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        string? type = null, source = null, destination = null;
        List<string>? options = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("type"u8)) { type = String(ref r); }
            else if (r.ValueTextEquals("source"u8)) { source = String(ref r); }
            else if (r.ValueTextEquals("destination"u8)) { destination = String(ref r); }
            else if (r.ValueTextEquals("options"u8)) { options = Strings(ref r); }
            else { Skip(ref r); }
        }

        return new MountSpec(type!, source!, destination!, options!);
    }

    private static ContainerMount? Mount(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        string? type = null, source = null, destination = null, name = null, fromContainer = null;
        List<string>? options = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("type"u8)) { type = String(ref r); }
            else if (r.ValueTextEquals("source"u8)) { source = String(ref r); }
            else if (r.ValueTextEquals("destination"u8)) { destination = String(ref r); }
            else if (r.ValueTextEquals("name"u8)) { name = String(ref r); }
            else if (r.ValueTextEquals("options"u8)) { options = Strings(ref r); }
            else if (r.ValueTextEquals("fromContainer"u8)) { fromContainer = String(ref r); }
            else { Skip(ref r); }
        }

        return new ContainerMount(type!, source!, destination!, name, options!) { FromContainer = fromContainer };
    }

    private static NetworkEndpoint? Endpoint(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        const string type = "Skiff.Runtime.Lifecycle.NetworkEndpoint";
        var e = new NetworkEndpoint { Network = null!, NetworkId = null!, IPAddress = null!, PrefixLength = 0, Gateway = null!, Bridge = null!, Aliases = null! };
        bool network = false, networkId = false, address = false, prefix = false, gateway = false, bridge = false;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("network"u8)) { e = e with { Network = String(ref r)! }; network = true; }
            else if (r.ValueTextEquals("networkId"u8)) { e = e with { NetworkId = String(ref r)! }; networkId = true; }
            else if (r.ValueTextEquals("ipAddress"u8)) { e = e with { IPAddress = String(ref r)! }; address = true; }
            else if (r.ValueTextEquals("prefixLength"u8)) { e = e with { PrefixLength = Int32(ref r) }; prefix = true; }
            else if (r.ValueTextEquals("gateway"u8)) { e = e with { Gateway = String(ref r)! }; gateway = true; }
            else if (r.ValueTextEquals("aliases"u8)) { e = e with { Aliases = Strings(ref r)! }; }
            else if (r.ValueTextEquals("bridge"u8)) { e = e with { Bridge = String(ref r)! }; bridge = true; }
            else if (r.ValueTextEquals("internal"u8)) { e = e with { Internal = Bool(ref r) }; }
            else if (r.ValueTextEquals("dnsEnabled"u8)) { e = e with { DnsEnabled = Bool(ref r) }; }
            else if (r.ValueTextEquals("interface"u8)) { e = e with { Interface = String(ref r) }; }
            else if (r.ValueTextEquals("ipv6Address"u8)) { e = e with { Ipv6Address = String(ref r) }; }
            else if (r.ValueTextEquals("ipv6PrefixLength"u8)) { e = e with { Ipv6PrefixLength = Int32(ref r) }; }
            else if (r.ValueTextEquals("ipv6Gateway"u8)) { e = e with { Ipv6Gateway = String(ref r) }; }
            else if (r.ValueTextEquals("macAddress"u8)) { e = e with { MacAddress = String(ref r) }; }
            else { Skip(ref r); }
        }

        Require(network, type, "network");
        Require(networkId, type, "networkId");
        Require(address, type, "ipAddress");
        Require(prefix, type, "prefixLength");
        Require(gateway, type, "gateway");
        Require(bridge, type, "bridge");
        return e;
    }

    private static PublishedPort? Port(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var port = new PublishedPort { HostIp = null!, Protocol = null! };
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("hostIp"u8)) { port = port with { HostIp = String(ref r)! }; }
            else if (r.ValueTextEquals("hostPort"u8)) { port = port with { HostPort = Int32(ref r) }; }
            else if (r.ValueTextEquals("containerPort"u8)) { port = port with { ContainerPort = Int32(ref r) }; }
            else if (r.ValueTextEquals("protocol"u8)) { port = port with { Protocol = String(ref r)! }; }
            else { Skip(ref r); }
        }

        return port;
    }

    private static ContainerDevice? Device(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var device = new ContainerDevice(null!, null!, null!, null!, 0, 0, 0, 0, 0);
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("pathOnHost"u8)) { device = device with { PathOnHost = String(ref r)! }; }
            else if (r.ValueTextEquals("pathInContainer"u8)) { device = device with { PathInContainer = String(ref r)! }; }
            else if (r.ValueTextEquals("permissions"u8)) { device = device with { Permissions = String(ref r)! }; }
            else if (r.ValueTextEquals("type"u8)) { device = device with { Type = String(ref r)! }; }
            else if (r.ValueTextEquals("major"u8)) { device = device with { Major = Int64(ref r) }; }
            else if (r.ValueTextEquals("minor"u8)) { device = device with { Minor = Int64(ref r) }; }
            else if (r.ValueTextEquals("fileMode"u8)) { device = device with { FileMode = UInt32(ref r) }; }
            else if (r.ValueTextEquals("uid"u8)) { device = device with { Uid = UInt32(ref r) }; }
            else if (r.ValueTextEquals("gid"u8)) { device = device with { Gid = UInt32(ref r) }; }
            else { Skip(ref r); }
        }

        return device;
    }

    private static ContainerSecret? Secret(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var secret = new ContainerSecret(null!, null!, null!, null!, 0, 0, 0);
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("name"u8)) { secret = secret with { Name = String(ref r)! }; }
            else if (r.ValueTextEquals("id"u8)) { secret = secret with { Id = String(ref r)! }; }
            else if (r.ValueTextEquals("type"u8)) { secret = secret with { Type = String(ref r)! }; }
            else if (r.ValueTextEquals("target"u8)) { secret = secret with { Target = String(ref r)! }; }
            else if (r.ValueTextEquals("uid"u8)) { secret = secret with { Uid = UInt32(ref r) }; }
            else if (r.ValueTextEquals("gid"u8)) { secret = secret with { Gid = UInt32(ref r) }; }
            else if (r.ValueTextEquals("mode"u8)) { secret = secret with { Mode = UInt32(ref r) }; }
            else { Skip(ref r); }
        }

        return secret;
    }

    private static BlockIoLimit? BlockIoLimitItem(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var limit = new BlockIoLimit(default, null, 0, 0, 0);
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("kind"u8)) { limit = limit with { Kind = (BlockIoLimitKind)Int32(ref r) }; }
            else if (r.ValueTextEquals("path"u8)) { limit = limit with { Path = String(ref r) }; }
            else if (r.ValueTextEquals("major"u8)) { limit = limit with { Major = Int64(ref r) }; }
            else if (r.ValueTextEquals("minor"u8)) { limit = limit with { Minor = Int64(ref r) }; }
            else if (r.ValueTextEquals("value"u8)) { limit = limit with { Value = UInt64(ref r) }; }
            else { Skip(ref r); }
        }

        return limit;
    }

    private static DeviceRule? DeviceRuleItem(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var rule = new DeviceRule(false, 'a', null, null, null!);
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("allow"u8)) { rule = rule with { Allow = Bool(ref r) }; }
            else if (r.ValueTextEquals("type"u8)) { rule = rule with { Type = String(ref r) is [char type] ? type : throw Mismatch(ref r, "a one-character string") }; }
            else if (r.ValueTextEquals("major"u8)) { rule = rule with { Major = NullableInt64(ref r) }; }
            else if (r.ValueTextEquals("minor"u8)) { rule = rule with { Minor = NullableInt64(ref r) }; }
            else if (r.ValueTextEquals("access"u8)) { rule = rule with { Access = String(ref r)! }; }
            else { Skip(ref r); }
        }

        return rule;
    }

    private static CgroupResources? Resources(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var resources = new CgroupResources();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("memory"u8)) { resources = resources with { Memory = NullableInt64(ref r) }; }
            else if (r.ValueTextEquals("memorySwap"u8)) { resources = resources with { MemorySwap = NullableInt64(ref r) }; }
            else if (r.ValueTextEquals("cpuQuota"u8)) { resources = resources with { CpuQuota = NullableInt64(ref r) }; }
            else if (r.ValueTextEquals("cpuPeriod"u8)) { resources = resources with { CpuPeriod = NullableUInt64(ref r) }; }
            else if (r.ValueTextEquals("cpuShares"u8)) { resources = resources with { CpuShares = NullableUInt64(ref r) }; }
            else if (r.ValueTextEquals("cpusetCpus"u8)) { resources = resources with { CpusetCpus = String(ref r) }; }
            else if (r.ValueTextEquals("pidsLimit"u8)) { resources = resources with { PidsLimit = NullableInt64(ref r) }; }
            else if (r.ValueTextEquals("blkioWeight"u8)) { resources = resources with { BlkioWeight = NullableUInt16(ref r) }; }
            else if (r.ValueTextEquals("memoryReservation"u8)) { resources = resources with { MemoryReservation = NullableInt64(ref r) }; }
            else if (r.ValueTextEquals("blockIoLimits"u8)) { resources = resources with { BlockIoLimits = List(ref r, BlockIoLimitItem) }; }
            else if (r.ValueTextEquals("devices"u8)) { resources = resources with { Devices = List(ref r, DeviceRuleItem) }; }
            else if (r.ValueTextEquals("memorySwappiness"u8)) { resources = resources with { MemorySwappiness = NullableUInt64(ref r) }; }
            else if (r.ValueTextEquals("oomKillDisable"u8)) { resources = resources with { OomKillDisable = OptionalBool(ref r) }; }
            else if (r.ValueTextEquals("cpusetMems"u8)) { resources = resources with { CpusetMems = String(ref r) }; }
            else { Skip(ref r); }
        }

        return resources;
    }

    private static T? ObjectValue<T>(ref Utf8JsonReader r, ReadItem<T?> value)
        where T : class
    {
        r.Read();
        return value(ref r);
    }

    private static IdMap? IdMapValue(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        List<IdMapping>? uids = null, gids = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("uids"u8)) { uids = List(ref r, IdMappingItem); }
            else if (r.ValueTextEquals("gids"u8)) { gids = List(ref r, IdMappingItem); }
            else { Skip(ref r); }
        }

        return new IdMap(uids!, gids!);
    }

    private static IdMapping IdMappingItem(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            throw Mismatch(ref r, "an object");
        }

        uint container = 0, host = 0, size = 0;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("containerId"u8)) { container = UInt32(ref r); }
            else if (r.ValueTextEquals("hostId"u8)) { host = UInt32(ref r); }
            else if (r.ValueTextEquals("size"u8)) { size = UInt32(ref r); }
            else { Skip(ref r); }
        }

        return new IdMapping(container, host, size);
    }

    private static ContainerAccount? Account(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        string? name = null, home = null;
        uint uid = 0, gid = 0;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("name"u8)) { name = String(ref r); }
            else if (r.ValueTextEquals("uid"u8)) { uid = UInt32(ref r); }
            else if (r.ValueTextEquals("gid"u8)) { gid = UInt32(ref r); }
            else if (r.ValueTextEquals("home"u8)) { home = String(ref r); }
            else { Skip(ref r); }
        }

        return new ContainerAccount(name!, uid, gid, home!);
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<string>? items) =>
        WriteList(w, name, items, static (w, s) => w.WriteStringValue(s));

    private static void WriteList<T>(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<T>? items, Action<Utf8JsonWriter, T> item)
    {
        if (items is null)
        {
            return;
        }

        w.WriteStartArray(name);
        w.WriteItems(items, item);

        w.WriteEndArray();
    }

    private static void WriteIdMappings(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<IdMapping>? mappings) =>
        WriteList(w, name, mappings, static (w, m) =>
        {
            w.WriteStartObject();
            w.WriteNumber("containerId"u8, m.ContainerId);
            w.WriteNumber("hostId"u8, m.HostId);
            w.WriteNumber("size"u8, m.Size);
            w.WriteEndObject();
        });

    private static bool? OptionalBool(ref Utf8JsonReader r)
    {
        if (r.Read() && r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return r.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw Mismatch(ref r, "true, false or null"),
        };
    }

    private static void WriteMap(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null)
        {
            return;
        }

        w.WriteStartObject(name);
        foreach ((string key, string value) in map)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }
}
