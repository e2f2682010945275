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
        new Skiff.Cli.Commands.Volumes.ImageVolumePopulator(),
        store => new Skiff.Rootless.Network.ContainerNetworkConnector(store, Skiff.Rootless.Network.NetworkHelpers.Find()),
        runtimeRoot => Skiff.Cli.Commands.Oci.OciCommand.Compose(runtimeRoot, CurrentUser.Detect(), Environment.ProcessPath ?? "/proc/self/exe"));
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
    (int verbIndex, Command? verb) = FindVerb(root, args, 0);

    // 'skiff container run IMAGE CMD...' passes its command through like 'skiff run'.
    (int passIndex, Command? passVerb) = verb is { Name: "container" } ? FindVerb(verb, args, verbIndex + 1) : (verbIndex, verb);
    if (passVerb is not null && CommandTree.PassThroughVerbs.TryGetValue(passVerb.Name, out int leading))
    {
        args = PassThroughArguments.Separate(args, passIndex, passVerb, leading);
    }

    // 'container cp/export/exec' choose their namespaces themselves, as 'cp', 'export' and 'exec' do.
    string? namespaceVerb = verb is { Name: "container" } && passVerb is { Name: "cp" or "export" or "exec" } ? passVerb.Name : verb?.Name;
    if (user.Rootless && !user.InsideUserNamespace && namespaceVerb is not null && CommandTree.UserNamespaceVerbs.Contains(namespaceVerb)
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

        // An unknown flag taken for an argument also makes its neighbours "unrecognized": name the flag, as docker does.
        System.CommandLine.Parsing.ParseError shown = parseResult.Errors.FirstOrDefault(e => e.Message.StartsWith("unknown flag", StringComparison.Ordinal)) ?? parseResult.Errors[0];
        Console.Error.WriteLine($"Error: {shown.Message}");
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

static (int Index, Command? Verb) FindVerb(Command root, string[] args, int start)
{
    for (int i = start; i < args.Length; i++)
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
