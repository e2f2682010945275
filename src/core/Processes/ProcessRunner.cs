using System.ComponentModel;
using System.Diagnostics;
using Skiff.Core.Errors;

namespace Skiff.Core.Processes;

public sealed class ProcessRunner : IProcessRunner
{
    public async Task<ExternalResult> RunAsync(ExternalCommand command, CancellationToken cancellationToken = default)
    {
        ExternalResult result = await TryRunAsync(command, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            string detail = result.StandardError.Trim();
            throw new SkiffException(
                ErrorKind.Internal,
                $"{Path.GetFileName(command.Program)} failed with exit code {result.ExitCode}" + (detail.Length > 0 ? $": {detail}" : string.Empty));
        }

        return result;
    }

    public async Task<ExternalResult> TryRunAsync(ExternalCommand command, CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(command.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (command.Environment is not null)
        {
            foreach ((string key, string value) in command.Environment)
            {
                startInfo.Environment[key] = value;
            }
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw SkiffException.PrerequisiteMissing(
                $"cannot run {command.Program}: {e.Message}",
                $"install the package that provides {Path.GetFileName(command.Program)}");
        }

        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (command.StandardInput is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(command.StandardInput, cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(command.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw SkiffException.Unavailable($"{Path.GetFileName(command.Program)} did not finish within {command.Timeout.TotalSeconds:0} s");
        }

        return new ExternalResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
