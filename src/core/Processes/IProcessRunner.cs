namespace Skiff.Core.Processes;

/// <summary>
/// Runs external programs (newuidmap, pasta, ...). The one place skiff shells out.
/// <see cref="RunAsync"/> throws <see cref="Errors.SkiffException"/> when the program is missing,
/// times out, or exits non-zero; the message names the program and carries its stderr.
/// </summary>
public interface IProcessRunner
{
    Task<ExternalResult> RunAsync(ExternalCommand command, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="RunAsync"/> but returns a non-zero exit instead of throwing.</summary>
    Task<ExternalResult> TryRunAsync(ExternalCommand command, CancellationToken cancellationToken = default);
}
