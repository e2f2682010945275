using System.Globalization;
using Tmds.DBus.Protocol;

namespace Skiff.Tests.Unit.Cgroups;

/// <summary>
/// org.freedesktop.systemd1 on a private bus, answering as systemd does: StartTransientUnit and StopUnit
/// reply with a job path and announce the job's end with JobRemoved(u id, o job, s unit, s result).
/// It checks the wire types strictly (an unexpected signature is an InvalidArgs error, as in systemd) and
/// records every call, so tests can assert exactly what skiff sent.
/// </summary>
internal sealed class FakeSystemdService : IPathMethodHandler, IDisposable
{
    private readonly DBusConnection _connection;
    private readonly Lock _lock = new();
    private readonly List<string> _events = [];
    private readonly HashSet<string> _units = new(StringComparer.Ordinal);
    private uint _nextJob = 1;

    private FakeSystemdService(DBusConnection connection) => _connection = connection;

    public string Path => "/org/freedesktop/systemd1";

    public bool HandlesChildPaths => false;

    /// <summary>The result JobRemoved reports for start jobs ("done", "failed", ...).</summary>
    public string StartResult { get; set; } = "done";

    /// <summary>A D-Bus error name to answer StartTransientUnit with instead of a job.</summary>
    public string? StartError { get; set; }

    /// <summary>False: jobs never end (a hung systemd).</summary>
    public bool EmitJobRemoved { get; set; } = true;

    /// <summary>True: JobRemoved is sent before the method reply (systemd may do that; the client must not miss it).</summary>
    public bool SignalBeforeReply { get; set; }

    /// <summary>How long a job runs before JobRemoved (when sent after the reply).</summary>
    public TimeSpan JobDuration { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The manager's ControlGroup property: the instance's own cgroup.</summary>
    public string ControlGroup { get; set; } = string.Empty;

    /// <summary>Runs when a scope starts (unit, slice): systemd would create its cgroup and move the PIDs there.</summary>
    public Action<string, string>? OnStart { get; set; }

    /// <summary>Runs when a scope stops: systemd would kill its processes and remove its cgroup.</summary>
    public Action<string>? OnStop { get; set; }

    /// <summary>The StartTransientUnit calls: name, mode, and each property as "Name:signature=value".</summary>
    public List<(string Name, string Mode, List<string> Properties, int Auxiliary)> Starts { get; } = [];

    /// <summary>In order: "call Member …", "signal JobRemoved job result", "reply …".</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public static async Task<FakeSystemdService> RegisterAsync(string address)
    {
        var connection = new DBusConnection(address);
        await connection.ConnectAsync();
        var service = new FakeSystemdService(connection);
        connection.AddMethodHandler(service);
        await connection.RequestNameAsync("org.freedesktop.systemd1");
        return service;
    }

    public void AddUnit(string name)
    {
        lock (_lock)
        {
            _units.Add(name);
        }
    }

    public ValueTask HandleMethodAsync(MethodContext context)
    {
        Message request = context.Request;
        if (request.InterfaceAsString == "org.freedesktop.DBus.Properties")
        {
            GetProperty(context);
            return default;
        }

        if (request.InterfaceAsString != "org.freedesktop.systemd1.Manager")
        {
            context.ReplyUnknownMethodError();
            return default;
        }

        Record($"call {request.MemberAsString} ({request.SignatureAsString})");
        switch (request.MemberAsString)
        {
            case "Subscribe" when request.SignatureAsString == string.Empty:
                context.Reply(EmptyReply(context));
                break;
            case "StartTransientUnit" when request.SignatureAsString == "ssa(sv)a(sa(sv))":
                StartTransientUnit(context);
                break;
            case "StopUnit" when request.SignatureAsString == "ss":
                StopUnit(context);
                break;
            default:
                context.ReplyError("org.freedesktop.DBus.Error.InvalidArgs", $"unexpected {request.MemberAsString}({request.SignatureAsString})");
                break;
        }

        return default;
    }

    public void Dispose() => _connection.Dispose();

    private void StartTransientUnit(MethodContext context)
    {
        Reader reader = context.Request.GetBodyReader();
        string name = reader.ReadString();
        string mode = reader.ReadString();
        var properties = new List<string>();
        ArrayEnd end = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            string key = reader.ReadString();
            string signature = reader.ReadSignatureAsString();
            string value = signature switch
            {
                "s" => reader.ReadString(),
                "b" => reader.ReadBool() ? "true" : "false",
                "au" => string.Join(',', reader.ReadArrayOfUInt32().Select(v => v.ToString(CultureInfo.InvariantCulture))),
                _ => throw new InvalidOperationException($"the fake does not read {key} of type {signature}"),
            };
            properties.Add($"{key}:{signature}={value}");
        }

        int auxiliary = 0;
        ArrayEnd auxEnd = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(auxEnd))
        {
            auxiliary++;
            reader.AlignStruct();
            reader.ReadString();
            reader.ReadArrayStart(DBusType.Struct);
        }

        lock (_lock)
        {
            Starts.Add((name, mode, properties, auxiliary));
        }

        if (StartError is not null)
        {
            Record("reply error " + StartError);
            context.ReplyError(StartError, $"Unit {name} was already loaded or has a fragment file.");
            return;
        }

        AddUnit(name);
        string slice = properties.FirstOrDefault(p => p.StartsWith("Slice:s=", StringComparison.Ordinal))?["Slice:s=".Length..] ?? "system.slice";
        OnStart?.Invoke(name, slice);
        ReplyWithJob(context, name, StartResult);
    }

    private void GetProperty(MethodContext context)
    {
        Message request = context.Request;
        Record($"call {request.MemberAsString} ({request.SignatureAsString})");
        Reader reader = request.GetBodyReader();
        if (request.MemberAsString != "Get" || request.SignatureAsString != "ss"
            || reader.ReadString() != "org.freedesktop.systemd1.Manager" || reader.ReadString() != "ControlGroup")
        {
            context.ReplyError("org.freedesktop.DBus.Error.InvalidArgs", "the fake knows only Manager.ControlGroup");
            return;
        }

        using MessageWriter writer = context.CreateReplyWriter("v");
        writer.WriteVariantString(ControlGroup);
        context.Reply(writer.CreateMessage());
    }

    private void StopUnit(MethodContext context)
    {
        Reader reader = context.Request.GetBodyReader();
        string name = reader.ReadString();
        string mode = reader.ReadString();
        bool known;
        lock (_lock)
        {
            known = _units.Remove(name);
        }

        if (!known)
        {
            Record("reply error NoSuchUnit");
            context.ReplyError("org.freedesktop.systemd1.NoSuchUnit", $"Unit {name} not loaded.");
            return;
        }

        Record($"stop {name} {mode}");
        OnStop?.Invoke(name);
        ReplyWithJob(context, name, "done");
    }

    private void ReplyWithJob(MethodContext context, string unit, string result)
    {
        uint id;
        lock (_lock)
        {
            id = _nextJob++;
        }

        string job = "/org/freedesktop/systemd1/job/" + id.ToString(CultureInfo.InvariantCulture);
        if (SignalBeforeReply && EmitJobRemoved)
        {
            SendJobRemoved(id, job, unit, result);
        }

        using (MessageWriter writer = context.CreateReplyWriter("o"))
        {
            writer.WriteObjectPath(job);
            Record("reply " + job);
            context.Reply(writer.CreateMessage());
        }

        if (!SignalBeforeReply && EmitJobRemoved)
        {
            _ = Task.Run(async () =>
            {
                await Task.Delay(JobDuration);
                SendJobRemoved(id, job, unit, result);
            });
        }
    }

    private void SendJobRemoved(uint id, string job, string unit, string result)
    {
        using MessageWriter writer = _connection.GetMessageWriter();
        writer.WriteSignalHeader(path: Path, @interface: "org.freedesktop.systemd1.Manager", member: "JobRemoved", signature: "uoss");
        writer.WriteUInt32(id);
        writer.WriteObjectPath(job);
        writer.WriteString(unit);
        writer.WriteString(result);
        Record($"signal JobRemoved {job} {result}");
        _connection.TrySendMessage(writer.CreateMessage());
    }

    private static MessageBuffer EmptyReply(MethodContext context)
    {
        using MessageWriter writer = context.CreateReplyWriter(null);
        return writer.CreateMessage();
    }

    private void Record(string entry)
    {
        lock (_lock)
        {
            _events.Add(entry);
        }
    }
}
