using Skiff.Runtime.Namespaces;

namespace Skiff.Cli.Commands.Containers;

/// <summary>--pid, --ipc and --uts of a new container, resolved (see <see cref="NamespaceFlags.Resolve(System.CommandLine.ParseResult, Skiff.Runtime.Lifecycle.ContainerStore, bool)"/>).</summary>
public sealed record NamespaceModes(NamespaceMode Pid, NamespaceMode Ipc, NamespaceMode Uts);
