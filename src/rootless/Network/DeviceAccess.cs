namespace Skiff.Rootless.Network;

/// <summary>Whether the current user may open a device node (pasta, slirp4netns and fuse-overlayfs need tun and fuse).</summary>
public static class DeviceAccess
{
    public static bool CanOpenReadWrite(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
