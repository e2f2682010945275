using System.CommandLine;
using Skiff.Cli;
using Skiff.Cli.Commands;
using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Core.Processes;
using Skiff.Core.Users;
using Skiff.Rootless.IdMaps;
using Skiff.Rootless.Storage;
using Skiff.Runtime.Namespaces;

// The container monitor is skiff re-executed; it skips the command tree to stay small for its whole life.
if (args.Length > 0 && args[0] == Skiff.Runtime.Monitor.MonitorEntry.Verb)
{
    return Skiff.Runtime.Monitor.MonitorEntry.Run(
        args,
        store => new Skiff.Rootless.Network.ContainerNetworkConnector(store, Skiff.Rootless.Network.NetworkHelpers.Find()));
}

// The one composition root: who we are, the command tree, error and exit-code policy.
CurrentUser user = CurrentUser.Detect();
bool debug = args.Any(a => a is "--log-level=debug" or "--log-level=trace")
    || args.Zip(args.Skip(1)).Any(p => p.First == "--log-level" && p.Second is "debug" or "trace");
var reporter = new ErrorReporter(Console.Error, debug);

try
{
    var globals = new GlobalOptions(user);
    RootCommand root = CommandTree.Build(globals);
    (int verbIndex, Command? verb) = FindVerb(root, args);

    if (verb is not null && CommandTree.PassThroughVerbs.TryGetValue(verb.Name, out int leading))
    {
        args = PassThroughArguments.Separate(args, verbIndex, verb, leading);
    }

    if (user.Rootless && !user.InsideUserNamespace && verb is not null && CommandTree.UserNamespaceVerbs.Contains(verb.Name)
        && !args.TakeWhile(a => a != "--").Any(a => a is "--help" or "-h"))
    {
        return await ReexecInUserNamespaceAsync(user, args);
    }

    ParseResult parseResult = root.Parse(args, new ParserConfiguration { EnablePosixBundling = true });
    if (parseResult.Errors.Count > 0)
    {
        if (verb is null && verbIndex >= 0)
        {
            Console.Error.WriteLine($"Error: unrecognized command `skiff {args[verbIndex]}`");
            Console.Error.WriteLine("Hint: try 'skiff --help'");
            return ExitCodes.EngineError;
        }

        Console.Error.WriteLine($"Error: {parseResult.Errors[0].Message}");
        Console.Error.WriteLine($"Hint: see 'skiff {(verb is null ? string.Empty : verb.Name + " ")}--help'");
        return ExitCodes.EngineError;
    }

    return await parseResult.InvokeAsync(new InvocationConfiguration
    {
        // docker's contract: our errors exit 125 with our wording, and signals during run/attach go
        // to the container, so System.CommandLine must neither catch exceptions nor handle SIGINT/SIGTERM.
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = null,
    });
}
catch (SkiffException e)
{
    return reporter.Report(e);
}
catch (AggregateException e) when (e.InnerExceptions.Count == 1 && e.InnerException is SkiffException inner)
{
    return reporter.Report(inner);
}
catch (Exception e)
{
    return reporter.ReportUnexpected(e);
}

static (int Index, Command? Verb) FindVerb(RootCommand root, string[] args)
{
    for (int i = 0; i < args.Length; i++)
    {
        string token = args[i];
        if (token.StartsWith('-'))
        {
            if (token is "--root" or "--runroot" or "--log-level" or "--storage-driver")
            {
                i++;
            }

            continue;
        }

        Command? verb = root.Subcommands.FirstOrDefault(c => c.Name == token || c.Aliases.Contains(token));
        return (i, verb);
    }

    return (-1, null);
}

static async Task<int> ReexecInUserNamespaceAsync(CurrentUser user, string[] args)
{
    string self = Environment.ProcessPath ?? throw SkiffException.Internal("cannot find skiff's own executable");
    return await UserNamespaceReexec.ForUser(user, new ProcessRunner()).RunAsync(self, args);
}
