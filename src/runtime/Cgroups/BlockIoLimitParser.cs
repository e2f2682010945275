using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// podman's per-device block IO flags, DEVICE:RATE (--device-read-bps and --device-write-bps take a size with an
/// optional unit, the iops flags a whole number) and DEVICE:WEIGHT (--blkio-weight-device, 10 to 1000, 0 to disable).
/// The device's numbers come from <paramref name="deviceNumbers"/> (stat on the host), which returns null for a path that
/// is not a block device.
/// </summary>
public sealed class BlockIoLimitParser(Func<string, (long Major, long Minor)?> deviceNumbers)
{
    public BlockIoLimit Parse(BlockIoLimitKind kind, string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            throw SkiffException.InvalidArgument($"bad format: {text}", Usage(kind));
        }

        string path = text[..colon];
        string value = text[(colon + 1)..];
        ulong parsed = kind switch
        {
            BlockIoLimitKind.ReadBps or BlockIoLimitKind.WriteBps => Rate(text, value),
            BlockIoLimitKind.Weight => Weight(text, value),
            _ => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong iops)
                ? iops
                : throw SkiffException.InvalidArgument(
                    $"invalid rate for device: {text}. The correct format is <device-path>:<number>. Number must be a positive integer", Usage(kind)),
        };
        if (!path.StartsWith('/') || deviceNumbers(path) is not { } numbers)
        {
            throw SkiffException.InvalidArgument($"bad format for device path: {text}", $"{path} must be a block device on the host, e.g. /dev/sda");
        }

        return new BlockIoLimit(kind, path, numbers.Major, numbers.Minor, parsed);
    }

    private static ulong Rate(string text, string value)
    {
        try
        {
            long bytes = ByteSize.Parse(value, "rate");
            return bytes >= 0 ? (ulong)bytes : throw new FormatException();
        }
        catch (Exception e) when (e is SkiffException or FormatException)
        {
            throw SkiffException.InvalidArgument(
                $"invalid rate for device: {text}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb",
                Usage(BlockIoLimitKind.ReadBps));
        }
    }

    private static ulong Weight(string text, string value) =>
        ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ushort weight) && (weight == 0 || weight is >= 10 and <= 1000)
            ? weight
            : throw SkiffException.InvalidArgument($"invalid weight for device: {text}", "give a weight between 10 and 1000, e.g. --blkio-weight-device /dev/sda:500");

    private static string Usage(BlockIoLimitKind kind) => kind switch
    {
        BlockIoLimitKind.Weight => "give DEVICE:WEIGHT, e.g. --blkio-weight-device /dev/sda:500",
        BlockIoLimitKind.ReadIops or BlockIoLimitKind.WriteIops => "give DEVICE:OPERATIONS-PER-SECOND, e.g. /dev/sda:1000",
        _ => "give DEVICE:RATE, e.g. /dev/sda:10mb",
    };
}
