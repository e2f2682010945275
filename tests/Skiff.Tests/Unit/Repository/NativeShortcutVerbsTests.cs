using System.Text.RegularExpressions;
using Skiff.Cli.Commands;
using Skiff.Rootless.Network.Bridge;
using Skiff.Rootless.Network.Dns;
using Skiff.Tests.Support;

namespace Skiff.Tests.Unit.Repository;

/// <summary>
/// The native entry stage joins the rootless user namespace itself for some verbs (nsenter.c shortcut_verbs);
/// CommandTree.UserNamespaceVerbs is the list of record. Every verb added there must be put on one side
/// consciously: in the C list, or among the verbs whose namespaces the C# side chooses.
/// </summary>
public sealed class NativeShortcutVerbsTests
{
    /// <summary>
    /// Program.cs decides their namespaces: container cp/export/exec, the rootless network's user namespace (start,
    /// init, restart), and build, which re-executes itself in skiff's user namespace (its RUN steps' --network is not
    /// checked by the entry stage as run's is).
    /// </summary>
    private static readonly string[] DecidedByTheCli = ["container", "network", "start", "init", "restart", "build"];

    [Fact]
    public void The_native_shortcut_verbs_are_the_user_namespace_verbs_the_cli_does_not_decide_itself()
    {
        string[] expected = CommandTree.UserNamespaceVerbs.Except(DecidedByTheCli).Order().ToArray();
        Assert.Equal(expected, NativeList("shortcut_verbs"));
    }

    /// <summary>
    /// The entry stage maps the program's code ahead for every skiff except the long-lived helpers (nsenter.c
    /// helper_verbs), whose resident size matters more than their start: a new helper verb belongs there.
    /// </summary>
    [Fact]
    public void The_native_helper_verbs_are_the_long_lived_helpers()
    {
        string[] expected = new[] { DnsServer.Verb, PortForwarder.Verb, RootlessNetworkNamespaceSetup.Verb }.Order().ToArray();
        Assert.Equal(expected, NativeList("helper_verbs"));
    }

    private static string[] NativeList(string name)
    {
        string source = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "src", "runtime", "Native", "nsenter.c"));
        Match list = Regex.Match(source, name + @"\[\] = \{(?<body>[^}]*)\}");
        Assert.True(list.Success, name + " not found in nsenter.c");
        return Regex.Matches(list.Groups["body"].Value, "\"([^\"]+)\"").Select(m => m.Groups[1].Value).Order().ToArray();
    }
}
