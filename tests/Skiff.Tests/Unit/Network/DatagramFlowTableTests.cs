using System.Net;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Tests.Unit.Network;

public sealed class DatagramFlowTableTests
{
    private static readonly long Unanswered = (long)DatagramFlowTable<string>.UnansweredTimeout.TotalMilliseconds;
    private static readonly long Answered = (long)DatagramFlowTable<string>.AnsweredTimeout.TotalMilliseconds;

    [Fact]
    public void A_client_keeps_its_flow_per_port_and_others_get_their_own()
    {
        var table = new DatagramFlowTable<string>(capacity: 8);
        Assert.Null(table.Add(Key(0, "192.0.2.7", 4000), "a", now: 0));
        Assert.Null(table.Add(Key(0, "192.0.2.7", 4001), "b", now: 0));
        Assert.Null(table.Add(Key(1, "192.0.2.7", 4000), "c", now: 0));

        Assert.Equal("a", table.Find(Key(0, "192.0.2.7", 4000), now: 10));
        Assert.Equal("b", table.Find(Key(0, "192.0.2.7", 4001), now: 10));
        Assert.Equal("c", table.Find(Key(1, "192.0.2.7", 4000), now: 10));
        Assert.Null(table.Find(Key(0, "192.0.2.8", 4000), now: 10));
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void An_unanswered_flow_expires_after_its_timeout_from_the_last_datagram()
    {
        var table = new DatagramFlowTable<string>(capacity: 8);
        table.Add(Key(0, "192.0.2.7", 4000), "a", now: 0);
        table.Find(Key(0, "192.0.2.7", 4000), now: 1000);

        Assert.Equal(Unanswered, table.UntilNextExpiry(1000));
        Assert.Empty(table.RemoveExpired(Unanswered + 999));
        Assert.Equal(["a"], table.RemoveExpired(Unanswered + 1000));
        Assert.Equal(0, table.Count);
        Assert.Null(table.UntilNextExpiry(Unanswered + 1000));
    }

    [Fact]
    public void An_answered_flow_lives_longer_and_an_answer_counts_as_activity()
    {
        var table = new DatagramFlowTable<string>(capacity: 8);
        table.Add(Key(0, "192.0.2.7", 4000), "answered", now: 0);
        table.Add(Key(0, "192.0.2.7", 4001), "silent", now: 0);
        table.Answered(Key(0, "192.0.2.7", 4000), now: 500);

        Assert.Equal(["silent"], table.RemoveExpired(Unanswered));
        Assert.Equal(Answered - Unanswered + 500, table.UntilNextExpiry(Unanswered));
        Assert.Empty(table.RemoveExpired(Answered + 499));
        Assert.Equal(["answered"], table.RemoveExpired(Answered + 500));
    }

    [Fact]
    public void At_capacity_a_new_client_displaces_the_flow_idle_longest()
    {
        var table = new DatagramFlowTable<string>(capacity: 2);
        table.Add(Key(0, "192.0.2.7", 4000), "old", now: 0);
        table.Add(Key(0, "192.0.2.7", 4001), "newer", now: 5);
        table.Find(Key(0, "192.0.2.7", 4000), now: 10);

        Assert.Equal("newer", table.Add(Key(0, "192.0.2.7", 4002), "newest", now: 20));
        Assert.Equal(2, table.Count);
        Assert.Null(table.Find(Key(0, "192.0.2.7", 4001), now: 20));
        Assert.Equal("old", table.Find(Key(0, "192.0.2.7", 4000), now: 20));
    }

    [Fact]
    public void A_removed_flow_is_gone_and_due_flows_report_zero_wait()
    {
        var table = new DatagramFlowTable<string>(capacity: 2);
        table.Add(Key(0, "192.0.2.7", 4000), "a", now: 0);
        Assert.Equal(0, table.UntilNextExpiry(Unanswered + 5));
        Assert.Equal("a", table.Remove(Key(0, "192.0.2.7", 4000)));
        Assert.Null(table.Remove(Key(0, "192.0.2.7", 4000)));
    }

    private static DatagramFlowKey Key(int port, string address, int clientPort) => new(port, new IPEndPoint(IPAddress.Parse(address), clientPort));
}
