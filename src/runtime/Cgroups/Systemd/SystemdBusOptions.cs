using Tmds.DBus.Protocol;

namespace Skiff.Runtime.Cgroups.Systemd;

/// <summary>
/// Connection options that authenticate (SASL EXTERNAL) as a given uid. Rootless skiff runs inside its user
/// namespace as uid 0, but the bus daemon sees the caller's real uid through SO_PEERCRED: claiming "0"
/// would be refused, so the client claims the real uid, as podman does with AuthExternal(rootless uid).
/// </summary>
internal sealed class SystemdBusOptions(string busAddress, uint userId) : DBusConnectionOptions(busAddress)
{
    private readonly string _address = busAddress;

    protected override ValueTask<SetupResult> SetupAsync(CancellationToken cancellationToken) =>
        new(new SetupResult(_address)
        {
            UserId = userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            SupportsFdPassing = false,
        });
}
