using System.Buffers.Binary;
using System.Security.Cryptography;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Picks an IPv6 subnet for a new network as podman does: a random unique local /64 (RFC 4193: fd00::/8 with a
/// random 40-bit global id and a random 16-bit subnet id) that overlaps neither another network nor a route of
/// the host. Random rather than sequential so that networks made on different machines do not collide when
/// their traffic meets (the reason RFC 4193 asks for a random global id).
/// </summary>
public static class Ipv6SubnetAllocator
{
    public const int PrefixLength = 64;

    private const int Attempts = 1000;

    /// <param name="used">The subnets of the other networks and the host's routes.</param>
    /// <param name="random">Fills the 7 random bytes after fd (a seam for tests); default the system's RNG.</param>
    public static IpSubnet<UInt128> Next(IEnumerable<IpSubnet<UInt128>> used, Action<Span<byte>>? random = null)
    {
        List<IpSubnet<UInt128>> taken = used.ToList();
        random ??= RandomNumberGenerator.Fill;
        Span<byte> bytes = stackalloc byte[16];
        for (int i = 0; i < Attempts; i++)
        {
            bytes.Clear();
            bytes[0] = 0xfd;
            random(bytes.Slice(1, 7));
            var candidate = new IpSubnet<UInt128>(BinaryPrimitives.ReadUInt128BigEndian(bytes), PrefixLength);
            if (!taken.Any(candidate.Overlaps))
            {
                return candidate;
            }
        }

        throw SkiffException.Unavailable("could not find a free IPv6 subnet in fd00::/8", "give an IPv6 --subnet");
    }
}
