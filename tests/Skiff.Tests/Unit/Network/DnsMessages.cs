using System.Buffers.Binary;
using System.Text;
using Skiff.Rootless.Network.Dns;

namespace Skiff.Tests.Unit.Network;

/// <summary>DNS messages for the codec and responder tests, built by hand so the tests do not trust the codec they test.</summary>
internal static class DnsMessages
{
    public static byte[] Query(string name, ushort type = DnsTypes.A, ushort id = 0x1234, ushort flags = 0x0100)
    {
        var message = new List<byte>();
        message.AddRange([(byte)(id >> 8), (byte)id, (byte)(flags >> 8), (byte)flags, 0, 1, 0, 0, 0, 0, 0, 0]);
        foreach (string label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }

        message.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return message.ToArray();
    }

    public static int ResponseCode(byte[] response) => response[3] & 0xf;

    public static ushort Id(byte[] response) => BinaryPrimitives.ReadUInt16BigEndian(response);

    public static int AnswerCount(byte[] response) => BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(6));

    public static bool Authoritative(byte[] response) => (response[2] & 0x04) != 0;

    public static bool Truncated(byte[] response) => (response[2] & 0x02) != 0;

    /// <summary>The A records' addresses in the answer section (which follows a question without compression).</summary>
    public static List<string> Addresses(byte[] response)
    {
        int at = 12;
        while (response[at] != 0)
        {
            at += response[at] + 1;
        }

        at += 5;
        var addresses = new List<string>();
        for (int i = 0; i < AnswerCount(response); i++)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(at + 2));
            int length = BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(at + 10));
            if (type == DnsTypes.A)
            {
                addresses.Add(string.Join('.', response.AsSpan(at + 12, length).ToArray()));
            }

            at += 12 + length;
        }

        return addresses;
    }
}
