using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;

namespace Skiff.Tests.Unit.Runtime;

public class DescriptorPassingTests
{
    [Fact]
    public void Several_descriptors_arrive_in_order_with_their_payload()
    {
        (SafeFileHandle ours, SafeFileHandle theirs) = UnixSockets.SeqPacketPair();
        using (ours)
        using (theirs)
        {
            (SafeFileHandle read1, SafeFileHandle write1) = Descriptors.Pipe();
            (SafeFileHandle read2, SafeFileHandle write2) = Descriptors.Pipe();
            using (read1)
            using (read2)
            {
                using (write1)
                using (write2)
                {
                    UnixSockets.SendDescriptors(ours, [2], [write1, write2]);
                }

                byte[] payload = new byte[1];
                (int length, IReadOnlyList<SafeFileHandle> received) = UnixSockets.ReceiveDescriptors(theirs, payload, 8);
                Assert.Equal(1, length);
                Assert.Equal(2, payload[0]);
                Assert.Equal(2, received.Count);
                using (received[0])
                using (received[1])
                {
                    Assert.True(Descriptors.WriteAll(received[0], "one"u8));
                    Assert.True(Descriptors.WriteAll(received[1], "two"u8));
                }

                Assert.Equal("one", ReadText(read1));
                Assert.Equal("two", ReadText(read2));
            }
        }
    }

    [Fact]
    public void Descriptors_beyond_the_wanted_count_are_closed_and_a_closed_peer_reads_as_zero()
    {
        (SafeFileHandle ours, SafeFileHandle theirs) = UnixSockets.SeqPacketPair();
        using (theirs)
        {
            (SafeFileHandle read, SafeFileHandle write) = Descriptors.Pipe();
            using (read)
            {
                using (write)
                using (ours)
                {
                    UnixSockets.SendDescriptors(ours, [1], [write, write]);
                }

                (_, IReadOnlyList<SafeFileHandle> received) = UnixSockets.ReceiveDescriptors(theirs, new byte[1], 1);
                Assert.Single(received);
                received[0].Dispose();

                // Every copy of the write end is closed now: the reader sees end of file.
                Assert.Equal(string.Empty, ReadText(read));
                Assert.Equal(0, UnixSockets.ReceiveDescriptors(theirs, new byte[1], 1).Length);
            }
        }
    }

    [Fact]
    public void Sending_nothing_is_refused()
    {
        (SafeFileHandle ours, SafeFileHandle theirs) = UnixSockets.SeqPacketPair();
        using (ours)
        using (theirs)
        {
            Assert.Throws<ArgumentException>(() => UnixSockets.SendDescriptors(ours, [1], Array.Empty<SafeHandle>()));
        }
    }

    private static string ReadText(SafeFileHandle read)
    {
        byte[] buffer = new byte[16];
        int n = Descriptors.Read(read, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, Math.Max(n, 0));
    }
}
