using Skiff.Core.Processes;

namespace Skiff.Tests.E2E.Network;

/// <summary>Runs every command as another user through runuser, so helpers run unprivileged as they would for that user.</summary>
internal sealed class AsUserRunner(string user) : IProcessRunner
{
    private readonly ProcessRunner _inner = new();

    public Task<ExternalResult> RunAsync(ExternalCommand command, CancellationToken cancellationToken = default) =>
        _inner.RunAsync(Wrap(command), cancellationToken);

    public Task<ExternalResult> TryRunAsync(ExternalCommand command, CancellationToken cancellationToken = default) =>
        _inner.TryRunAsync(Wrap(command), cancellationToken);

    private ExternalCommand Wrap(ExternalCommand command) =>
        new("runuser", ["-u", user, "--", command.Program, .. command.Arguments]) { Timeout = command.Timeout, Environment = command.Environment };
}
