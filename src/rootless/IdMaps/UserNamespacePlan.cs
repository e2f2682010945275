using Skiff.Core.IdMaps;

namespace Skiff.Rootless.IdMaps;

/// <summary>
/// The user namespace a container gets: <see cref="Map"/> is relative to the namespace the OCI runtime
/// runs in (the host for root, skiff's own user namespace rootless), null for none of its own.
/// <see cref="DefaultUid"/>/<see cref="DefaultGid"/> are the user the process runs as unless --user says otherwise (keep-id).
/// </summary>
public sealed record UserNamespacePlan(UserNamespaceMode Mode, IdMap? Map, uint? DefaultUid = null, uint? DefaultGid = null);
