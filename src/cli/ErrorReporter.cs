using Skiff.Core.Errors;

namespace Skiff.Cli;

/// <summary>Prints failures the docker way: one <c>Error:</c> line, an optional <c>Hint:</c>, details only when debugging.</summary>
public sealed class ErrorReporter(TextWriter error, bool debug)
{
    public int Report(SkiffException exception)
    {
        error.WriteLine($"Error: {exception.Message}");
        if (exception.Hint is not null)
        {
            error.WriteLine($"Hint: {exception.Hint}");
        }

        if (debug)
        {
            error.WriteLine(exception.ToString());
        }

        return ExitCodes.For(exception.Kind);
    }

    public int ReportUnexpected(Exception exception)
    {
        error.WriteLine($"Error: {Describe(exception)}");
        if (debug)
        {
            error.WriteLine(exception.ToString());
        }
        else
        {
            error.WriteLine("Hint: run again with --log-level=debug for details");
        }

        return ExitCodes.EngineError;
    }

    /// <summary>Reports one failed item of a multi-target verb without ending the command; <paramref name="id"/> is the item's full id when it has one.</summary>
    public void ReportItem(string item, Exception exception, string? id = null)
    {
        string message = exception is SkiffException ? exception.Message : Describe(exception);
        // podman's messages name the item already ("no container with name or ID \"web\" found", "can only kill
        // running containers. ID is in state created"): no second prefix.
        bool named = message.Contains($"\"{item}\"", StringComparison.Ordinal) || (id is not null && message.Contains(id, StringComparison.Ordinal));
        error.WriteLine(named ? $"Error: {message}" : $"Error: {item}: {message}");
        if (exception is SkiffException { Hint: { } hint })
        {
            error.WriteLine($"Hint: {hint}");
        }

        if (debug)
        {
            error.WriteLine(exception.ToString());
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        UnauthorizedAccessException when IoErrorText.Unexpected(exception) is var text && text != exception.Message => text,
        UnauthorizedAccessException => $"permission denied: {exception.Message}",
        IOException => IoErrorText.Unexpected(exception),
        _ => $"internal error: {exception.Message}",
    };
}
