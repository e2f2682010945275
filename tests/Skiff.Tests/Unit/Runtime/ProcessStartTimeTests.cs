using System.Text;
using Skiff.Runtime.Process;

namespace Skiff.Tests.Unit.Runtime;

public class ProcessStartTimeTests
{
    [Theory]
    [InlineData("1234 (sleep) S 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 98765 2273280 134 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n", 98765L)]
    [InlineData("77 (a b) c) R 1 77 77 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 5 2273280 134\n", 5L)]
    [InlineData("77 (x) Z 1 77 77 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n", null)]
    [InlineData("77 (x) S 1 77 77 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0\n", null)]
    [InlineData("77 (x) S 1 77 77 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 -5 0\n", null)]
    [InlineData("no parenthesis", null)]
    [InlineData("", null)]
    public void Parses_field_22_of_proc_stat(string line, long? expected) =>
        Assert.Equal(expected, ProcessStartTime.Parse(Encoding.ASCII.GetBytes(line)));

    [Fact]
    public void Reads_its_own_start_time_and_none_for_a_free_pid()
    {
        int self = Environment.ProcessId;
        long? start = ProcessStartTime.TryRead(self);
        Assert.NotNull(start);
        Assert.True(ProcessStartTime.IsAlive(self, start.Value));
        Assert.False(ProcessStartTime.IsAlive(self, start.Value + 1));
        Assert.Null(ProcessStartTime.TryRead(int.MaxValue));
    }
}
