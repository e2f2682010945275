using Skiff.Runtime.Memory;

namespace Skiff.Tests.Unit.Runtime;

public class SmapsParserTests
{
    private const string Sample = """
        55bb7ba2c000-55bb7c296000 r-xp 00015000 fe:00 5382316                    /usr/local/bin/skiff
        Size:               8616 kB
        Rss:                6004 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        Locked:                0 kB
        VmFlags: rd ex mr mw me
        55bb7c5bc000-55bb7c5bd000 r--p 00ba5000 fe:00 5382316                    /usr/local/bin/skiff
        Rss:                   4 kB
        Private_Dirty:         4 kB
        Anonymous:             4 kB
        Locked:                0 kB
        55bb7c8c1000-55bb7c8ea000 rw-p 00ea9000 fe:00 5382316                    /usr/local/bin/skiff
        Rss:                 164 kB
        Private_Dirty:        84 kB
        Anonymous:            84 kB
        55bb7c8ea000-55bb7cc2a000 rw-p 00000000 00:00 0 
        Rss:                3252 kB
        Private_Dirty:      3252 kB
        Anonymous:          3252 kB
        7f395a0cc000-7f395a222000 r-xp 00026000 fe:00 332096                     /usr/lib/x86_64-linux-gnu/libc.so.6
        Rss:                1296 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        Locked:                4 kB
        7f395a37a000-7f395a37c000 r-xp 00000000 00:00 0                          [vdso]
        Rss:                   4 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        7f395a3a3000-7f395a3ad000 r--p 00027000 fe:00 331651                     /usr/lib/my lib (deleted).so
        Rss:                  40 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        """;

    [Fact]
    public void Reads_addresses_permissions_paths_and_counters()
    {
        List<MappedRegion> regions = SmapsParser.Parse(Sample);

        Assert.Equal(7, regions.Count);
        Assert.Equal(new MappedRegion(0x55bb7ba2c000, 0x55bb7c296000, "r-xp", 5382316, "/usr/local/bin/skiff", 6004, 0, 0, false), regions[0]);
        Assert.Equal(string.Empty, regions[3].Path);
        Assert.Equal(3252, regions[3].AnonymousKilobytes);
        Assert.True(regions[4].Locked);
        Assert.Equal("/usr/lib/my lib (deleted).so", regions[6].Path);
    }

    [Fact]
    public void Only_clean_read_only_file_mappings_may_be_dropped()
    {
        bool[] droppable = SmapsParser.Parse(Sample).Select(region => region.CanDropCleanPages).ToArray();

        // code; RELRO (relocated); writable data; anonymous; locked; vdso; clean read-only data
        Assert.Equal([true, false, false, false, false, false, true], droppable);
    }
}
