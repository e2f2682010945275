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

// The heap's first block on one huge page: most of the page faults of a short-lived skiff (see YoungHeapHugePage).
// Not for the long-lived network helpers, which would keep the 2 MB for small heaps.
if (args is not [Skiff.Rootless.Network.Dns.DnsServer.Verb or Skiff.Rootless.Network.Bridge.PortForwarder.Verb or Skiff.Rootless.Network.Bridge.RootlessNetworkNamespaceSetup.Verb, ..])
{
    Skiff.Runtime.Memory.YoungHeapHugePage.TryCollapse();
}

// The container monitor is skiff re-executed; it skips the command tree to stay small for its whole life.
if (args.Length > 0 && args[0] == Skiff.Runtime.Monitor.MonitorEntry.Verb)
{
    // Started into skiff's user namespace by a rootless command that stayed outside (UserNamespaceSpawner).
    UserNamespaceSpawner.ForgetEntry();
    return Skiff.Runtime.Monitor.MonitorEntry.Run(
        args,
        new Skiff.Cli.Commands.Volumes.ImageVolumePopulator(),
        store => new Skiff.Rootless.Network.ContainerNetworkConnector(store, Skiff.Rootless.Network.NetworkHelpers.Find()),
        runtimeRoot => Skiff.Cli.Commands.Oci.OciCommand.Compose(runtimeRoot, CurrentUser.Detect(), Environment.ProcessPath ?? "/proc/self/exe"));
}

// The container's init and a process exec'd into a container start inside the container's namespaces, on
// the start path of every container: they skip the command tree (building it costs more than their own setup).
if (args is ["oci", "__init"] or ["oci", "__exec"])
{
    try
    {
        return args[1] == "__init"
            ? new Skiff.Runtime.Containers.ContainerInit(new Skiff.Runtime.Mounts.LinuxMountSyscalls { Cloned = Skiff.Runtime.Mounts.ClonedMount.FromEnvironment(), Copier = new Skiff.Cli.Commands.Oci.ImageTreeCopier() }).Run()
            : new Skiff.Runtime.Containers.ExecInit(new Skiff.Runtime.Mounts.LinuxMountSyscalls()).Run();
    }
    catch (SkiffException e)
    {
        return new ErrorReporter(Console.Error, false).Report(e);
    }
}

// skiff-relay execs skiff again when a container it relayed for the monitor has ended: record and clean up.
if (args.Length > 0 && args[0] == Skiff.Runtime.Monitor.MonitorEntry.ExitVerb)
{
    return Skiff.Runtime.Monitor.MonitorEntry.Finish(
        args,
        store => new Skiff.Rootless.Network.ContainerNetworkConnector(store, Skiff.Rootless.Network.NetworkHelpers.Find()),
        runtimeRoot => Skiff.Cli.Commands.Oci.OciCommand.Compose(runtimeRoot, CurrentUser.Detect(), Environment.ProcessPath ?? "/proc/self/exe"));
}

// A container's port forwarder on a user-defined network, started by its monitor.
if (args.Length >= 3 && args[0] == Skiff.Rootless.Network.Bridge.PortForwarder.Verb)
{
    return Skiff.Rootless.Network.Bridge.PortForwarder.Parse(args).Run(new Microsoft.Win32.SafeHandles.SafeFileHandle(Skiff.Rootless.Network.Bridge.PortForwarder.ReadyFd, ownsHandle: true));
}

// A user-defined network's DNS server, started by the monitor of the first container on the network.
if (args.Length >= 3 && args[0] == Skiff.Rootless.Network.Dns.DnsServer.Verb)
{
    try
    {
        // Run by hand (no ready descriptor from a monitor), it just serves.
        bool reported = File.Exists($"/proc/self/fd/{Skiff.Rootless.Network.Dns.DnsServer.ReadyFd}");
        return Skiff.Rootless.Network.Dns.DnsServer.Parse(args).Run(reported ? new Microsoft.Win32.SafeHandles.SafeFileHandle(Skiff.Rootless.Network.Dns.DnsServer.ReadyFd, ownsHandle: true) : null);
    }
    catch (SkiffException e)
    {
        return new ErrorReporter(Console.Error, false).Report(e);
    }
}

// The rootless network namespace's setup runs as root in a new user namespace (see RootlessNetworkNamespace).
if (args.Length == 2 && args[0] == Skiff.Rootless.Network.Bridge.RootlessNetworkNamespaceSetup.Verb)
{
    try
    {
        new Skiff.Rootless.Network.Bridge.RootlessNetworkNamespaceSetup(
            new Skiff.Rootless.Network.Bridge.RootlessNetworkNamespace(args[1]),
            new ProcessRunner(),
            Skiff.Rootless.Network.NetworkHelpers.Find()).Run();
        return 0;
    }
    catch (SkiffException e)
    {
        return new ErrorReporter(Console.Error, false).Report(e);
    }
}

// The one composition root: who we are, the command tree, error and exit-code policy.
// Output goes through plain streams: .NET's console streams would switch a terminal's cursor keys to
// application mode on the first write (see StandardStream).
Console.SetOut(Skiff.Cli.Output.StandardStream.Writer(1));
Console.SetError(Skiff.Cli.Output.StandardStream.Writer(2));
CurrentUser user = CurrentUser.Detect();
bool debug = DebugRequested(args);
var reporter = new ErrorReporter(Console.Error, debug);

try
{
    // podman's `-v` and `--version`: one line, "skiff version X".
    if (args is ["-v"] or ["--version"])
    {
        Console.Out.WriteLine($"skiff version {Skiff.Cli.Commands.System.VersionCommand.Version}");
        Console.Out.Flush();
        return ExitCodes.Success;
    }

    // `skiff help [VERB…]` is `skiff [VERB…] --help`, as podman's.
    int helpAt = FirstPositional(args, 0);
    bool helpVerb = helpAt >= 0 && args[helpAt] == "help";
    if (helpVerb)
    {
        args = [.. args[..helpAt], .. args[(helpAt + 1)..], "--help"];
    }

    var globals = new GlobalOptions(user);
    int firstPositional = FirstPositional(args, 0);
    Command root = CommandTree.Build(globals, firstPositional >= 0 ? args[firstPositional] : null, args);
    (int verbIndex, Command? verb) = FindVerb(root, args, 0);
    if (helpVerb && verb is null && verbIndex >= 0)
    {
        Console.Error.WriteLine($"Error: unrecognized command `skiff {args[verbIndex]}`");
        Console.Error.WriteLine("Hint: try 'skiff help'");
        return ExitCodes.EngineError;
    }

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
        string? joinVerb = verb is { Name: "container" } ? passVerb?.Name : verb?.Name;
        if (joinVerb is not null)
        {
            CliContext early = globals.Resolve(root.Parse(args, new ParserConfiguration { EnablePosixBundling = true }));
            if (RootlessNetworkJoin.Needed(joinVerb, args, joinVerb == verb?.Name ? verbIndex : passIndex, early.Paths))
            {
                return await ReexecInNetworkUserNamespaceAsync(user, args, early.Paths.RunRoot, PreservedForReexec(root, args, passVerb));
            }
        }

        if (!CommandTree.MonitorOnlyVerbs.Contains(namespaceVerb))
        {
            return await ReexecInUserNamespaceAsync(user, args, PreservedForReexec(root, args, passVerb));
        }
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

        if (MissingSubcommand.Describe(parseResult) is { } missing)
        {
            Console.Error.WriteLine($"Error: {missing}");
            Console.Error.WriteLine($"Hint: try '{MissingSubcommand.Path(parseResult.CommandResult)} --help'");
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

// --log-level debug or trace, looked for before parsing so that parse errors show details too. A loop: LINQ's Zip
// over the arguments was a generic instantiation over a tuple that NativeAOT's type loader built at run time.
static bool DebugRequested(string[] args)
{
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] is "--log-level=debug" or "--log-level=trace"
            || (args[i] == "--log-level" && i + 1 < args.Length && args[i + 1] is "debug" or "trace"))
        {
            return true;
        }
    }

    return false;
}

static (int Index, Command? Verb) FindVerb(Command root, string[] args, int start)
{
    int i = FirstPositional(args, start);
    return i < 0 ? (-1, null) : (i, root.Subcommands.FirstOrDefault(c => c.Name == args[i] || c.Aliases.Contains(args[i])));
}

// The first token from start on that is neither a global flag nor its value.
static int FirstPositional(string[] args, int start)
{
    for (int i = start; i < args.Length; i++)
    {
        string token = args[i];
        if (token.StartsWith('-'))
        {
            if (token is "--root" or "--runroot" or "--log-level" or "--storage-driver" or "--cgroup-manager")
            {
                i++;
            }

            continue;
        }

        return i;
    }

    return -1;
}

// run --preserve-fds N: the descriptors it names must reach the re-run in skiff's user namespace, which checks them.
static int PreservedForReexec(Command root, string[] args, Command? verb) =>
    verb is { Name: "run" }
        ? Skiff.Cli.Commands.Containers.PreserveFdsFlag.ToPassOn(root.Parse(args, new ParserConfiguration { EnablePosixBundling = true }).GetValue<string?>(Skiff.Cli.Commands.Containers.PreserveFdsFlag.Name))
        : 0;

// Containers on user-defined networks run in the rootless network namespace's user namespace: it is started
// when missing, and this process counts as one of its users until the verb is done.
static async Task<int> ReexecInNetworkUserNamespaceAsync(CurrentUser user, string[] args, string runRoot, int preserveFds)
{
    string self = Environment.ProcessPath ?? throw SkiffException.Internal("cannot find skiff's own executable");
    var netns = new Skiff.Rootless.Network.Bridge.RootlessNetworkNamespace(runRoot);
    UserNamespaceReexec reexec = UserNamespaceReexec.ForUser(user, new ProcessRunner());
    int holder;
    using (netns.Lock())
    {
        int? running = netns.RunningPid();
        if (running is null)
        {
            int setup = await reexec.RunAsync(self, [Skiff.Rootless.Network.Bridge.RootlessNetworkNamespaceSetup.Verb, runRoot]);
            running = netns.RunningPid();
            if (setup != 0 || running is null)
            {
                return setup != 0 ? setup : ExitCodes.EngineError;
            }
        }

        holder = running.Value;
        netns.AddUser(Environment.ProcessId);
    }

    try
    {
        return await reexec.RunInSharedUserNamespaceAsync(self, args, holder, preserveFds: preserveFds);
    }
    finally
    {
        using (netns.Lock())
        {
            netns.RemoveUser(Environment.ProcessId);
            netns.StopIfUnused();
        }
    }
}

static async Task<int> ReexecInUserNamespaceAsync(CurrentUser user, string[] args, int preserveFds)
{
    string self = Environment.ProcessPath ?? throw SkiffException.Internal("cannot find skiff's own executable");
    return await UserNamespaceReexec.ForUser(user, new ProcessRunner()).RunAsync(self, args, preserveFds: preserveFds);
}
