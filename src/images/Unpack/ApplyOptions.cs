using Skiff.Images.Files;

namespace Skiff.Images.Unpack;

/// <summary>How <see cref="LayerApplier"/> writes a layer.</summary>
public sealed record ApplyOptions
{
    public WhiteoutStyle Whiteouts { get; init; } = WhiteoutStyle.Delete;

    /// <summary>Set owners from the layer (false only for tests or tools that cannot chown).</summary>
    public bool PreserveOwners { get; init; } = true;

    /// <summary>
    /// Owners to write instead of the layer's, e.g. a rootless container whose user namespace differs from
    /// the one its image was unpacked for gets a copy with the ids it needs (podman's per-mapping copies).
    /// Null keeps the layer's ids.
    /// </summary>
    public Core.IdMaps.IdMap? Owners { get; init; }

    /// <summary>The id written for a layer's uid: through <see cref="Owners"/> when set; ids it does not map become the overflow id 65534.</summary>
    public uint MapUid(uint uid) => Owners is null ? uid : Owners.HostUid(uid) ?? Overflow;

    public uint MapGid(uint gid) => Owners is null ? gid : Owners.HostGid(gid) ?? Overflow;

    private const uint Overflow = 65534;

    /// <summary>
    /// Whether an entry may replace a directory with a non-directory or the reverse (a layer does; <c>cp</c> only with
    /// <c>--overwrite</c>, as podman). When false such an entry fails the apply with a Conflict before anything of it is
    /// written; what came before it stays written.
    /// </summary>
    public bool ReplaceKinds { get; init; } = true;

    /// <summary>Bound on the number of entries (decompression bombs made of empty files).</summary>
    public long MaxEntries { get; init; } = 10_000_000;

    /// <summary>
    /// For overlay styles: the diff directories of the layers below, topmost first. A directory this layer
    /// creates only implicitly (a parent no entry names) takes its mode, owner and times from them, so the
    /// merged view does not change the lower directory's metadata.
    /// </summary>
    public IReadOnlyList<DirectoryHandle> Lowers { get; init; } = [];
}
