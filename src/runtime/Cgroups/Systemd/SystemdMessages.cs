using Tmds.DBus.Protocol;

namespace Skiff.Runtime.Cgroups.Systemd;

/// <summary>The org.freedesktop.systemd1.Manager calls skiff makes, marshalled as systemd expects them.</summary>
internal static class SystemdMessages
{
    public const string Service = "org.freedesktop.systemd1";
    public const string ManagerPath = "/org/freedesktop/systemd1";
    public const string ManagerInterface = "org.freedesktop.systemd1.Manager";
    public const string StartTransientUnitSignature = "ssa(sv)a(sa(sv))";

    /// <summary>systemd is running or it is not: a bus daemon must not try to spawn it for skiff.</summary>
    private const MessageFlags NoAutoStart = MessageFlags.NoAutoStart;

    /// <summary>The JobRemoved(u id, o job, s unit, s result) signals of the manager.</summary>
    public static MatchRule JobRemovedRule => new()
    {
        Type = MessageType.Signal,
        Sender = Service,
        Path = ManagerPath,
        Interface = ManagerInterface,
        Member = "JobRemoved",
    };

    /// <summary>
    /// StartTransientUnit(name, "fail", properties, no auxiliary units). "fail" refuses to replace a unit
    /// of the same name that is starting or stopping. The properties are podman's for a container scope:
    /// its first process, Delegate=yes (skiff writes the limits itself), the slice, a description, and
    /// DefaultDependencies=no so the scope is not ordered against shutdown.target and friends.
    /// </summary>
    public static MessageBuffer StartTransientUnit(DBusConnection connection, SystemdScopeRequest request)
    {
        using MessageWriter writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Service, ManagerPath, ManagerInterface, "StartTransientUnit", StartTransientUnitSignature, NoAutoStart);
        writer.WriteString(request.UnitName);
        writer.WriteString("fail");
        ArrayStart properties = writer.WriteArrayStart(DBusType.Struct);
        writer.WriteStructureStart();
        writer.WriteString("Description");
        writer.WriteVariantString(request.Description);
        writer.WriteStructureStart();
        writer.WriteString("Slice");
        writer.WriteVariantString(request.Slice);
        writer.WriteStructureStart();
        writer.WriteString("Delegate");
        writer.WriteVariantBool(request.Delegate);
        writer.WriteStructureStart();
        writer.WriteString("DefaultDependencies");
        writer.WriteVariantBool(false);
        writer.WriteStructureStart();
        writer.WriteString("PIDs");
        writer.WriteSignature("au");
        writer.WriteArray(new[] { checked((uint)request.Pid) });
        writer.WriteArrayEnd(properties);
        ArrayStart auxiliary = writer.WriteArrayStart(DBusType.Struct);
        writer.WriteArrayEnd(auxiliary);
        return writer.CreateMessage();
    }

    /// <summary>StopUnit(name, "replace"): a pending start job of the unit is replaced, as runc and podman stop scopes.</summary>
    public static MessageBuffer StopUnit(DBusConnection connection, string unitName)
    {
        using MessageWriter writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Service, ManagerPath, ManagerInterface, "StopUnit", "ss", NoAutoStart);
        writer.WriteString(unitName);
        writer.WriteString("replace");
        return writer.CreateMessage();
    }

    /// <summary>Subscribe(): asks systemd for its signals (go-systemd does this before waiting for jobs).</summary>
    public static MessageBuffer Subscribe(DBusConnection connection)
    {
        using MessageWriter writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Service, ManagerPath, ManagerInterface, "Subscribe", flags: NoAutoStart);
        return writer.CreateMessage();
    }

    /// <summary>org.freedesktop.DBus.Properties.Get(manager interface, <paramref name="property"/>) on the manager object.</summary>
    public static MessageBuffer GetManagerProperty(DBusConnection connection, string property)
    {
        using MessageWriter writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Service, ManagerPath, "org.freedesktop.DBus.Properties", "Get", "ss", NoAutoStart);
        writer.WriteString(ManagerInterface);
        writer.WriteString(property);
        return writer.CreateMessage();
    }

    /// <summary>The string in the variant a Properties.Get reply carries.</summary>
    public static string ReadStringVariant(Message message, object? state)
    {
        Reader reader = message.GetBodyReader();
        reader.ReadSignature("s");
        return reader.ReadString();
    }

    /// <summary>The job object path a StartTransientUnit or StopUnit reply carries.</summary>
    public static string ReadJobPath(Message message, object? state) => message.GetBodyReader().ReadObjectPathAsString();

    /// <summary>(job path, result) of a JobRemoved signal.</summary>
    public static (string Job, string Result) ReadJobRemoved(Message message, object? state)
    {
        Reader reader = message.GetBodyReader();
        reader.ReadUInt32();
        string job = reader.ReadObjectPathAsString();
        reader.ReadString();
        return (job, reader.ReadString());
    }
}
