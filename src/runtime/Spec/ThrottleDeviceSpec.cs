namespace Skiff.Runtime.Spec;

/// <summary>A block IO rate limit of one device (bytes or operations per second).</summary>
public sealed class ThrottleDeviceSpec
{
    public long Major { get; set; }

    public long Minor { get; set; }

    public ulong Rate { get; set; }
}
