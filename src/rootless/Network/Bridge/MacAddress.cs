using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// An Ethernet address of a container's interface: given (<c>--mac-address</c>, <c>--network NAME:mac=</c>) or
/// made up when the endpoint is allocated, so inspect shows it before the container runs and a restart keeps it.
/// </summary>
public static class MacAddress
{
    private const int Length = 6;

    /// <summary>
    /// The canonical form (lower-case, colon-separated) of <paramref name="text"/>, given as six hexadecimal pairs
    /// separated by ':' or '-'. A group or broadcast address, or all zeros, cannot name an interface: the kernel
    /// would refuse it when the container starts, so it is refused here with the reason.
    /// </summary>
    public static string Parse(string text)
    {
        string[] parts = text.Split(text.Contains('-', StringComparison.Ordinal) ? '-' : ':');
        byte[] bytes = new byte[Length];
        if (parts.Length != Length)
        {
            throw Invalid(text);
        }

        for (int i = 0; i < Length; i++)
        {
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw Invalid(text);
            }
        }

        if ((bytes[0] & 1) != 0)
        {
            throw SkiffException.InvalidArgument(
                $"address {text}: a multicast MAC address cannot be an interface's address",
                "the lowest bit of the first byte must be 0, e.g. 92:d0:c6:0a:29:33");
        }

        if (bytes.All(b => b == 0))
        {
            throw SkiffException.InvalidArgument($"address {text}: the all-zero MAC address cannot be an interface's address", "give a unicast address, e.g. 92:d0:c6:0a:29:33");
        }

        return Format(bytes);
    }

    /// <summary>A random locally administered unicast address (the kernel's choice for a veth is the same kind).</summary>
    public static string Random()
    {
        byte[] bytes = new byte[Length];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        bytes[0] = (byte)((bytes[0] & 0xfe) | 0x02);
        return Format(bytes);
    }

    /// <summary>The six bytes of a canonical address (one <see cref="Parse"/> returned or <see cref="Random"/> made).</summary>
    public static byte[] Bytes(string canonical) =>
        canonical.Split(':').Select(p => byte.Parse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)).ToArray();

    private static string Format(byte[] bytes) => string.Join(':', bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    private static SkiffException Invalid(string text) =>
        SkiffException.InvalidArgument($"address {text}: invalid MAC address", "give six hexadecimal pairs separated by colons, e.g. 92:d0:c6:0a:29:33");
}
