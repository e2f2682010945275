using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's per-device block IO flags, taken by run, create and update: <c>--device-read-bps</c>,
/// <c>--device-write-bps</c>, <c>--device-read-iops</c>, <c>--device-write-iops</c> and <c>--blkio-weight-device</c>.
/// </summary>
public sealed class BlockIoDeviceFlags
{
    public Option<string[]> DeviceReadBps { get; } = new("--device-read-bps") { Description = "Limit read rate (bytes per second) from a device (e.g. --device-read-bps=/dev/sda:1mb)" };

    public Option<string[]> DeviceWriteBps { get; } = new("--device-write-bps") { Description = "Limit write rate (bytes per second) to a device (e.g. --device-write-bps=/dev/sda:1mb)" };

    public Option<string[]> DeviceReadIops { get; } = new("--device-read-iops") { Description = "Limit read rate (IO per second) from a device (e.g. --device-read-iops=/dev/sda:1000)" };

    public Option<string[]> DeviceWriteIops { get; } = new("--device-write-iops") { Description = "Limit write rate (IO per second) to a device (e.g. --device-write-iops=/dev/sda:1000)" };

    public Option<string[]> BlkioWeightDevice { get; } = new("--blkio-weight-device") { Description = "Block IO relative device weight (DEVICE:WEIGHT, 10 to 1000)" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { DeviceReadBps, DeviceWriteBps, DeviceReadIops, DeviceWriteIops, BlkioWeightDevice })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The limits given, null when none was. For a new container a weight of 0 (which disables, as --blkio-weight 0) is
    /// left out; for update every value is kept, a 0 then removing that device's setting (<see cref="BlockIoLimit.Merge"/>).
    /// </summary>
    public IReadOnlyList<BlockIoLimit>? Limits(ParseResult parse, bool keepZeros)
    {
        var parser = new BlockIoLimitParser(BlockDeviceNumbers);
        var limits = new List<BlockIoLimit>();
        foreach ((Option<string[]> option, BlockIoLimitKind kind) in new[]
        {
            (DeviceReadBps, BlockIoLimitKind.ReadBps), (DeviceWriteBps, BlockIoLimitKind.WriteBps),
            (DeviceReadIops, BlockIoLimitKind.ReadIops), (DeviceWriteIops, BlockIoLimitKind.WriteIops),
            (BlkioWeightDevice, BlockIoLimitKind.Weight),
        })
        {
            foreach (string text in parse.GetValue(option) ?? [])
            {
                BlockIoLimit limit = parser.Parse(kind, text);
                if (keepZeros || kind != BlockIoLimitKind.Weight || limit.Value != 0)
                {
                    limits.Add(limit);
                }
            }
        }

        return limits.Count == 0 ? null : limits;
    }

    private static (long Major, long Minor)? BlockDeviceNumbers(string path)
    {
        try
        {
            HostNode node = HostNode.Stat(path);
            return node.IsBlockDevice ? (node.Major, node.Minor) : null;
        }
        catch (SystemCallException)
        {
            return null;
        }
    }
}
