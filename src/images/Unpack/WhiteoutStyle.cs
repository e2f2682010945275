namespace Skiff.Images.Unpack;

/// <summary>How whiteouts and opaque directories are written.</summary>
public enum WhiteoutStyle
{
    /// <summary>Applied by deletion: the target is a full tree (plain-copy snapshots).</summary>
    Delete,

    /// <summary>Kept as overlayfs expects in a layer directory: char device 0:0 and <c>trusted.overlay.opaque=y</c> (real root).</summary>
    OverlayTrusted,

    /// <summary>As <see cref="OverlayTrusted"/> but <c>user.overlay.opaque=y</c>, for overlay mounted with <c>userxattr</c> inside a user namespace.</summary>
    OverlayUser,
}
