using System.Globalization;
using Skiff.Core.Errors;
using Tmds.DBus.Protocol;

namespace Skiff.Runtime.Cgroups.Systemd;

/// <summary>
/// Talks to systemd over D-Bus (the user's session bus when rootless, the system bus as root): starts a
/// transient, delegated scope around a container's process and stops it again. Every step is bounded by
/// a timeout, so a bus that does not answer fails the run with a clear error instead of hanging it.
/// </summary>
public sealed class SystemdDbusClient : ISystemdScopeClient, IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(25);

    private const string Hint = "run with --cgroup-manager=cgroupfs, or check the systemd instance (systemctl --user status)";

    private readonly string _address;
    private readonly uint _userId;
    private readonly TimeSpan _timeout;
    private SystemdJobs _jobs = new();
    private DBusConnection? _connection;
    private IDisposable? _jobRemoved;

    /// <param name="address">A D-Bus address ("unix:path=/run/user/1000/bus").</param>
    /// <param name="userId">The uid to authenticate as: the caller's real uid (see <see cref="SystemdBusOptions"/>).</param>
    /// <param name="timeout">How long each call and job may take.</param>
    public SystemdDbusClient(string address, uint userId, TimeSpan? timeout = null)
    {
        _address = address;
        _userId = userId;
        _timeout = timeout ?? DefaultTimeout;
    }

    public async Task StartScopeAsync(SystemdScopeRequest request, CancellationToken cancellationToken = default)
    {
        DBusConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        string job = await BoundedAsync(
            connection.CallMethodAsync(SystemdMessages.StartTransientUnit(connection, request), SystemdMessages.ReadJobPath),
            $"start {request.UnitName}",
            cancellationToken).ConfigureAwait(false);
        string result = await BoundedAsync(_jobs.ResultAsync(job), $"the job {job} starting {request.UnitName}", cancellationToken).ConfigureAwait(false);
        if (result != "done")
        {
            throw SkiffException.Unavailable(
                $"systemd could not start {request.UnitName}: its job ended with result \"{result}\"",
                $"see journalctl {(_userId == 0 ? string.Empty : "--user ")}-u {request.UnitName}, or run with --cgroup-manager=cgroupfs");
        }
    }

    public async Task StopScopeAsync(string unitName, CancellationToken cancellationToken = default)
    {
        DBusConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        string job;
        try
        {
            job = await BoundedAsync(
                connection.CallMethodAsync(SystemdMessages.StopUnit(connection, unitName), SystemdMessages.ReadJobPath),
                $"stop {unitName}",
                cancellationToken).ConfigureAwait(false);
        }
        catch (SkiffException e) when (e.InnerException is DBusErrorReplyException { ErrorName: "org.freedesktop.systemd1.NoSuchUnit" })
        {
            // The scope is gone already: systemd drops a scope once its last process exits.
            return;
        }

        // Any result is fine: "done", or "canceled" when something else stopped it meanwhile.
        await BoundedAsync(_jobs.ResultAsync(job), $"the job {job} stopping {unitName}", cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> GetControlGroupAsync(CancellationToken cancellationToken = default)
    {
        DBusConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return await BoundedAsync(
            connection.CallMethodAsync(SystemdMessages.GetManagerProperty(connection, "ControlGroup"), SystemdMessages.ReadStringVariant),
            "read the manager's ControlGroup",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection; a later call connects again.</summary>
    public void Dispose()
    {
        _jobRemoved?.Dispose();
        _jobRemoved = null;
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>Connects once, then listens for JobRemoved before any job can be started (none may be missed).</summary>
    private async Task<DBusConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var connection = new DBusConnection(new SystemdBusOptions(_address, _userId));
        _jobs = new SystemdJobs();
        try
        {
            await BoundedAsync(connection.ConnectAsync().AsTask(), "the connection", cancellationToken).ConfigureAwait(false);
            _jobRemoved = await BoundedAsync(
                connection.AddMatchAsync(
                    SystemdMessages.JobRemovedRule,
                    SystemdMessages.ReadJobRemoved,
                    (Notification<(string Job, string Result)> notification) =>
                    {
                        if (notification.HasValue)
                        {
                            _jobs.Removed(notification.Value.Job, notification.Value.Result);
                        }
                        else if (notification.IsCompletion)
                        {
                            _jobs.Fail(notification.CompletionReason);
                        }
                    },
                    emitOnCapturedContext: false,
                    // A broken bus (systemd restarted, the daemon gone) ends every wait at once.
                    flags: ObserverFlags.EmitOnConnectionClosed | ObserverFlags.EmitOnConnectionFailed | ObserverFlags.EmitOnReaderFailed).AsTask(),
                "the JobRemoved subscription",
                cancellationToken).ConfigureAwait(false);
            await BoundedAsync(connection.CallMethodAsync(SystemdMessages.Subscribe(connection)), "Subscribe", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _jobRemoved?.Dispose();
            _jobRemoved = null;
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return connection;
    }

    private async Task BoundedAsync(Task task, string what, CancellationToken cancellationToken) =>
        await BoundedAsync(WithResult(task), what, cancellationToken).ConfigureAwait(false);

    /// <summary>Waits at most the timeout and turns D-Bus failures into errors that say what failed where.</summary>
    private async Task<T> BoundedAsync<T>(Task<T> task, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw SkiffException.Unavailable(
                $"systemd did not answer on {_address} within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({what})",
                Hint);
        }
        catch (DBusErrorReplyException e)
        {
            throw e.ErrorName switch
            {
                "org.freedesktop.systemd1.UnitExists" => SkiffException.Conflict(
                    $"cannot {what}: systemd already has a unit of that name ({e.ErrorMessage})",
                    "a container with this id is still known to systemd: stop the unit with systemctl stop, or use --cgroup-manager=cgroupfs"),
                "org.freedesktop.DBus.Error.ServiceUnknown" or "org.freedesktop.DBus.Error.NameHasNoOwner" => SkiffException.Unavailable(
                    $"cannot {what}: no systemd answers on {_address} ({e.ErrorMessage})", Hint, e),
                "org.freedesktop.DBus.Error.AccessDenied" or "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired" => SkiffException.PrerequisiteMissing(
                    $"cannot {what}: systemd refused ({e.ErrorName}: {e.ErrorMessage})", Hint),
                _ => SkiffException.Unavailable($"cannot {what}: systemd answered {e.ErrorName}: {e.ErrorMessage}", Hint, e),
            };
        }
        catch (Exception e) when (e is DBusExceptionBase or IOException or System.Net.Sockets.SocketException)
        {
            throw SkiffException.Unavailable($"cannot talk to systemd on {_address} ({what}): {e.Message}", Hint, e);
        }
    }

    private static async Task<bool> WithResult(Task task)
    {
        await task.ConfigureAwait(false);
        return true;
    }
}
