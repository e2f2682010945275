using System.Text;
using Skiff.Runtime.Memory;

namespace Skiff.Tests.Unit.Runtime;

public class AnonymousRangeTests
{
    // The collector's reservation split by its commits, between a thread stack and a file mapping.
    private const string Maps = """
        00400000-00405000 r--p 00000000 fe:00 1048578                            /usr/local/lib/skiff/skiff
        7fbe2caa6000-7fbe2f400000 ---p 00000000 00:00 0 
        7fbe2f400000-7fbe2f411000 rw-p 00000000 00:00 0 
        7fbe2f411000-7fc9f1d1d000 ---p 00000000 00:00 0 
        7fc9f1d1d000-7fc9f1d1e000 ---p 00000000 00:00 0 
        7fc9f1d1e000-7fc9f251e000 rw-p 00000000 00:00 0                          [stack:4711]
        7fc9f251e000-7fc9f2521000 rw-s 00000000 00:01 2049                       /memfd:x (deleted)
        7fc9f2521000-7fc9f2547000 r--p 00000000 fe:00 332096                     /usr/lib/x86_64-linux-gnu/libc.so.6

        """;

    private static bool Check(string maps, ulong start, ulong end) => AnonymousRange.IsPrivateAnonymous(Encoding.ASCII.GetBytes(maps), start, end);

    [Fact]
    public void A_block_across_committed_and_reserved_parts_is_anonymous()
    {
        Assert.True(Check(Maps, 0x7fbe2f400000, 0x7fbe2f600000));
        Assert.True(Check(Maps, 0x7fbe2f000000, 0x7fbe2f800000));
    }

    [Fact]
    public void Files_shared_memory_and_named_regions_are_not()
    {
        Assert.False(Check(Maps, 0x00400000, 0x00401000));
        Assert.False(Check(Maps, 0x7fc9f1c00000, 0x7fc9f1e00000)); // reaches into a [stack:…] mapping
        Assert.False(Check(Maps, 0x7fc9f251e000, 0x7fc9f2520000)); // rw-s
        Assert.False(Check(Maps, 0x7fc9f2521000, 0x7fc9f2522000));
    }

    [Fact]
    public void A_hole_or_a_range_past_the_last_mapping_is_not()
    {
        const string holed = """
            7f0000000000-7f0000100000 ---p 00000000 00:00 0
            7f0000101000-7f0000300000 rw-p 00000000 00:00 0
            """;
        Assert.False(Check(holed, 0x7f0000000000, 0x7f0000200000));
        Assert.True(Check(holed, 0x7f0000101000, 0x7f0000300000));
        Assert.False(Check(holed, 0x7f0000101000, 0x7f0000400000));
        Assert.False(Check(string.Empty, 0x7f0000101000, 0x7f0000102000));
    }

    [Fact]
    public void A_cut_or_garbled_line_counts_as_not_covered()
    {
        Assert.False(Check("7fbe2f400000-7fbe2f600000 rw-p 00000000", 0x7fbe2f400000, 0x7fbe2f600000));
        Assert.False(Check("garbage\n7fbe2f400000-7fbe2f600000 rw-p 00000000 00:00 0\n", 0x7fbe2f400000, 0x7fbe2f600000));
    }
}
