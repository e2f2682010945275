using System.Text.Json;
using static Skiff.Core.Json.JsonFields;

namespace Skiff.Runtime.Spec;

/// <summary>
/// Reads config.json into <see cref="RuntimeSpec"/> with <see cref="Utf8JsonReader"/> directly. The monitor and
/// the container's init read the spec on every container's start, and System.Text.Json's source-generated
/// metadata for these 20 types is built at the first use in each process through reflection that is slow
/// under NativeAOT (custom attribute and assembly lookups per type and converter): 1–2.5 ms of CPU per
/// process, more than parsing the file. Same contract as <see cref="SpecJsonContext"/>: OCI's camelCase
/// names matched case-sensitively, unknown members skipped, comments and trailing commas allowed, a JSON null
/// sets a reference property to null and is an error for a number or a bool (SpecJsonReaderTests compares
/// the two on the same documents).
/// </summary>
public static class SpecJsonReader
{
    /// <summary>Returns null for a document that is JSON null; throws <see cref="JsonException"/> (with the line) for anything else that is not a spec.</summary>
    public static RuntimeSpec? Read(ReadOnlySpan<byte> json) => Document<RuntimeSpec>(json, Spec, "spec");

    private static RuntimeSpec? Spec(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var spec = new RuntimeSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("ociVersion"u8)) { spec.OciVersion = String(ref r)!; }
            else if (r.ValueTextEquals("process"u8)) { spec.Process = Process(ref r); }
            else if (r.ValueTextEquals("root"u8)) { spec.Root = Root(ref r); }
            else if (r.ValueTextEquals("hostname"u8)) { spec.Hostname = String(ref r); }
            else if (r.ValueTextEquals("mounts"u8)) { spec.Mounts = List(ref r, Mount)!; }
            else if (r.ValueTextEquals("linux"u8)) { spec.Linux = Linux(ref r); }
            else if (r.ValueTextEquals("annotations"u8)) { spec.Annotations = Map(ref r); }
            else { Skip(ref r); }
        }

        return spec;
    }

    /// <summary>Reads a process object on its own (runc exec --process); null for JSON null.</summary>
    public static ProcessSpec? ReadProcess(ReadOnlySpan<byte> json) => Document<ProcessSpec>(json, Process, "process");

    private static ProcessSpec? Process(ref Utf8JsonReader r)
    {
        r.Read();
        return ProcessValue(ref r);
    }

    private static ProcessSpec? ProcessValue(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var process = new ProcessSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("terminal"u8)) { process.Terminal = Bool(ref r); }
            else if (r.ValueTextEquals("consoleSize"u8)) { process.ConsoleSize = ConsoleSize(ref r); }
            else if (r.ValueTextEquals("user"u8)) { process.User = User(ref r)!; }
            else if (r.ValueTextEquals("args"u8)) { process.Args = Strings(ref r)!; }
            else if (r.ValueTextEquals("env"u8)) { process.Env = Strings(ref r)!; }
            else if (r.ValueTextEquals("cwd"u8)) { process.Cwd = String(ref r)!; }
            else if (r.ValueTextEquals("capabilities"u8)) { process.Capabilities = Capabilities(ref r); }
            else if (r.ValueTextEquals("rlimits"u8)) { process.Rlimits = List(ref r, Rlimit); }
            else if (r.ValueTextEquals("noNewPrivileges"u8)) { process.NoNewPrivileges = Bool(ref r); }
            else if (r.ValueTextEquals("apparmorProfile"u8)) { process.ApparmorProfile = String(ref r); }
            else if (r.ValueTextEquals("oomScoreAdj"u8)) { process.OomScoreAdj = NullableInt32(ref r); }
            else { Skip(ref r); }
        }

        return process;
    }

    private static ConsoleSizeSpec? ConsoleSize(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var size = new ConsoleSizeSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("height"u8)) { size.Height = UInt32(ref r); }
            else if (r.ValueTextEquals("width"u8)) { size.Width = UInt32(ref r); }
            else { Skip(ref r); }
        }

        return size;
    }

    private static UserSpec? User(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var user = new UserSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("uid"u8)) { user.Uid = UInt32(ref r); }
            else if (r.ValueTextEquals("gid"u8)) { user.Gid = UInt32(ref r); }
            else if (r.ValueTextEquals("umask"u8)) { user.Umask = NullableUInt32(ref r); }
            else if (r.ValueTextEquals("additionalGids"u8)) { user.AdditionalGids = List(ref r, UInt32Item); }
            else { Skip(ref r); }
        }

        return user;
    }

    private static CapabilitiesSpec? Capabilities(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var capabilities = new CapabilitiesSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("bounding"u8)) { capabilities.Bounding = Strings(ref r); }
            else if (r.ValueTextEquals("effective"u8)) { capabilities.Effective = Strings(ref r); }
            else if (r.ValueTextEquals("inheritable"u8)) { capabilities.Inheritable = Strings(ref r); }
            else if (r.ValueTextEquals("permitted"u8)) { capabilities.Permitted = Strings(ref r); }
            else if (r.ValueTextEquals("ambient"u8)) { capabilities.Ambient = Strings(ref r); }
            else { Skip(ref r); }
        }

        return capabilities;
    }

    private static RlimitSpec? Rlimit(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var rlimit = new RlimitSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("type"u8)) { rlimit.Type = String(ref r)!; }
            else if (r.ValueTextEquals("hard"u8)) { rlimit.Hard = UInt64(ref r); }
            else if (r.ValueTextEquals("soft"u8)) { rlimit.Soft = UInt64(ref r); }
            else { Skip(ref r); }
        }

        return rlimit;
    }

    private static RootSpec? Root(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var root = new RootSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("path"u8)) { root.Path = String(ref r)!; }
            else if (r.ValueTextEquals("readonly"u8)) { root.Readonly = Bool(ref r); }
            else { Skip(ref r); }
        }

        return root;
    }

    private static SpecMount? Mount(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var mount = new SpecMount();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("destination"u8)) { mount.Destination = String(ref r)!; }
            else if (r.ValueTextEquals("type"u8)) { mount.Type = String(ref r); }
            else if (r.ValueTextEquals("source"u8)) { mount.Source = String(ref r); }
            else if (r.ValueTextEquals("options"u8)) { mount.Options = Strings(ref r); }
            else { Skip(ref r); }
        }

        return mount;
    }

    private static LinuxSpec? Linux(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var linux = new LinuxSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("namespaces"u8)) { linux.Namespaces = List(ref r, Namespace)!; }
            else if (r.ValueTextEquals("uidMappings"u8)) { linux.UidMappings = List(ref r, IdMapping); }
            else if (r.ValueTextEquals("gidMappings"u8)) { linux.GidMappings = List(ref r, IdMapping); }
            else if (r.ValueTextEquals("maskedPaths"u8)) { linux.MaskedPaths = Strings(ref r); }
            else if (r.ValueTextEquals("readonlyPaths"u8)) { linux.ReadonlyPaths = Strings(ref r); }
            else if (r.ValueTextEquals("seccomp"u8)) { linux.Seccomp = Seccomp(ref r); }
            else if (r.ValueTextEquals("resources"u8)) { linux.Resources = Resources(ref r); }
            else if (r.ValueTextEquals("cgroupsPath"u8)) { linux.CgroupsPath = String(ref r); }
            else if (r.ValueTextEquals("rootfsPropagation"u8)) { linux.RootfsPropagation = String(ref r); }
            else if (r.ValueTextEquals("sysctl"u8)) { linux.Sysctl = Map(ref r); }
            else if (r.ValueTextEquals("devices"u8)) { linux.Devices = List(ref r, Device); }
            else if (r.ValueTextEquals("personality"u8)) { linux.Personality = Personality(ref r); }
            else { Skip(ref r); }
        }

        return linux;
    }

    private static PersonalitySpec? Personality(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var personality = new PersonalitySpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("domain"u8)) { personality.Domain = String(ref r) ?? string.Empty; }
            else if (r.ValueTextEquals("flags"u8)) { personality.Flags = Strings(ref r); }
            else { Skip(ref r); }
        }

        return personality;
    }

    private static NamespaceSpec? Namespace(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var ns = new NamespaceSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("type"u8)) { ns.Type = String(ref r)!; }
            else if (r.ValueTextEquals("path"u8)) { ns.Path = String(ref r); }
            else { Skip(ref r); }
        }

        return ns;
    }

    private static IdMappingSpec? IdMapping(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var mapping = new IdMappingSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("containerID"u8)) { mapping.ContainerId = UInt32(ref r); }
            else if (r.ValueTextEquals("hostID"u8)) { mapping.HostId = UInt32(ref r); }
            else if (r.ValueTextEquals("size"u8)) { mapping.Size = UInt32(ref r); }
            else { Skip(ref r); }
        }

        return mapping;
    }

    private static DeviceSpec? Device(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var device = new DeviceSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("type"u8)) { device.Type = String(ref r)!; }
            else if (r.ValueTextEquals("path"u8)) { device.Path = String(ref r)!; }
            else if (r.ValueTextEquals("major"u8)) { device.Major = Int64(ref r); }
            else if (r.ValueTextEquals("minor"u8)) { device.Minor = Int64(ref r); }
            else if (r.ValueTextEquals("fileMode"u8)) { device.FileMode = NullableUInt32(ref r); }
            else if (r.ValueTextEquals("uid"u8)) { device.Uid = NullableUInt32(ref r); }
            else if (r.ValueTextEquals("gid"u8)) { device.Gid = NullableUInt32(ref r); }
            else { Skip(ref r); }
        }

        return device;
    }

    private static ResourcesSpec? Resources(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var resources = new ResourcesSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("memory"u8)) { resources.Memory = Memory(ref r); }
            else if (r.ValueTextEquals("cpu"u8)) { resources.Cpu = Cpu(ref r); }
            else if (r.ValueTextEquals("pids"u8)) { resources.Pids = Pids(ref r); }
            else if (r.ValueTextEquals("devices"u8)) { resources.Devices = List(ref r, DeviceRule); }
            else if (r.ValueTextEquals("blockIO"u8)) { resources.BlockIo = BlockIo(ref r); }
            else { Skip(ref r); }
        }

        return resources;
    }

    private static MemoryResources? Memory(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var memory = new MemoryResources();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("limit"u8)) { memory.Limit = NullableInt64(ref r); }
            else if (r.ValueTextEquals("reservation"u8)) { memory.Reservation = NullableInt64(ref r); }
            else if (r.ValueTextEquals("swap"u8)) { memory.Swap = NullableInt64(ref r); }
            else if (r.ValueTextEquals("swappiness"u8)) { memory.Swappiness = NullableUInt64(ref r); }
            else if (r.ValueTextEquals("disableOOMKiller"u8)) { memory.DisableOomKiller = NullableBool(ref r); }
            else { Skip(ref r); }
        }

        return memory;
    }

    private static CpuResources? Cpu(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var cpu = new CpuResources();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("shares"u8)) { cpu.Shares = NullableUInt64(ref r); }
            else if (r.ValueTextEquals("quota"u8)) { cpu.Quota = NullableInt64(ref r); }
            else if (r.ValueTextEquals("period"u8)) { cpu.Period = NullableUInt64(ref r); }
            else if (r.ValueTextEquals("cpus"u8)) { cpu.Cpus = String(ref r); }
            else if (r.ValueTextEquals("mems"u8)) { cpu.Mems = String(ref r); }
            else { Skip(ref r); }
        }

        return cpu;
    }

    private static PidsResources? Pids(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var pids = new PidsResources();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("limit"u8)) { pids.Limit = Int64(ref r); }
            else { Skip(ref r); }
        }

        return pids;
    }

    private static BlockIoResources? BlockIo(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var blockIo = new BlockIoResources();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("weight"u8)) { blockIo.Weight = NullableUInt16(ref r); }
            else if (r.ValueTextEquals("weightDevice"u8)) { blockIo.WeightDevice = List(ref r, WeightDevice); }
            else if (r.ValueTextEquals("throttleReadBpsDevice"u8)) { blockIo.ThrottleReadBpsDevice = List(ref r, ThrottleDevice); }
            else if (r.ValueTextEquals("throttleWriteBpsDevice"u8)) { blockIo.ThrottleWriteBpsDevice = List(ref r, ThrottleDevice); }
            else if (r.ValueTextEquals("throttleReadIOPSDevice"u8)) { blockIo.ThrottleReadIopsDevice = List(ref r, ThrottleDevice); }
            else if (r.ValueTextEquals("throttleWriteIOPSDevice"u8)) { blockIo.ThrottleWriteIopsDevice = List(ref r, ThrottleDevice); }
            else { Skip(ref r); }
        }

        return blockIo;
    }

    private static DeviceCgroupSpec? DeviceRule(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var rule = new DeviceCgroupSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("allow"u8)) { rule.Allow = Bool(ref r); }
            else if (r.ValueTextEquals("type"u8)) { rule.Type = String(ref r); }
            else if (r.ValueTextEquals("major"u8)) { rule.Major = NullableInt64(ref r); }
            else if (r.ValueTextEquals("minor"u8)) { rule.Minor = NullableInt64(ref r); }
            else if (r.ValueTextEquals("access"u8)) { rule.Access = String(ref r); }
            else { Skip(ref r); }
        }

        return rule;
    }

    private static WeightDeviceSpec? WeightDevice(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var device = new WeightDeviceSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("major"u8)) { device.Major = Int64(ref r); }
            else if (r.ValueTextEquals("minor"u8)) { device.Minor = Int64(ref r); }
            else if (r.ValueTextEquals("weight"u8)) { device.Weight = NullableUInt16(ref r); }
            else { Skip(ref r); }
        }

        return device;
    }

    private static ThrottleDeviceSpec? ThrottleDevice(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var device = new ThrottleDeviceSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("major"u8)) { device.Major = Int64(ref r); }
            else if (r.ValueTextEquals("minor"u8)) { device.Minor = Int64(ref r); }
            else if (r.ValueTextEquals("rate"u8)) { device.Rate = UInt64(ref r); }
            else { Skip(ref r); }
        }

        return device;
    }

    private static SeccompSpec? Seccomp(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var seccomp = new SeccompSpec();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("defaultAction"u8)) { seccomp.DefaultAction = String(ref r)!; }
            else if (r.ValueTextEquals("defaultErrnoRet"u8)) { seccomp.DefaultErrnoRet = NullableUInt32(ref r); }
            else if (r.ValueTextEquals("architectures"u8)) { seccomp.Architectures = Strings(ref r); }
            else if (r.ValueTextEquals("flags"u8)) { seccomp.Flags = Strings(ref r); }
            else if (r.ValueTextEquals("syscalls"u8)) { seccomp.Syscalls = List(ref r, Syscall); }
            else { Skip(ref r); }
        }

        return seccomp;
    }

    private static SeccompSyscall? Syscall(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var syscall = new SeccompSyscall();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("names"u8)) { syscall.Names = Strings(ref r)!; }
            else if (r.ValueTextEquals("action"u8)) { syscall.Action = String(ref r)!; }
            else if (r.ValueTextEquals("errnoRet"u8)) { syscall.ErrnoRet = NullableUInt32(ref r); }
            else if (r.ValueTextEquals("args"u8)) { syscall.Args = List(ref r, SyscallArg); }
            else { Skip(ref r); }
        }

        return syscall;
    }

    internal static SeccompArg? SyscallArg(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var arg = new SeccompArg();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("index"u8)) { arg.Index = UInt32(ref r); }
            else if (r.ValueTextEquals("value"u8)) { arg.Value = UInt64(ref r); }
            else if (r.ValueTextEquals("valueTwo"u8)) { arg.ValueTwo = UInt64(ref r); }
            else if (r.ValueTextEquals("op"u8)) { arg.Op = String(ref r)!; }
            else { Skip(ref r); }
        }

        return arg;
    }
}
