using Skiff.Rootless.Network.Bridge;

namespace Skiff.Tests.Unit.Network;

/// <summary>The forwarder's copiers are made up front and reused, so later connections keep large pipes.</summary>
public class SpliceCopierPoolTests
{
    [Fact]
    public void Reserved_copiers_are_rented_first_and_returned_ones_reused()
    {
        using var pool = new SpliceCopierPool(reserve: 2);
        SpliceCopier first = pool.Rent();
        SpliceCopier second = pool.Rent();
        Assert.NotSame(first, second);

        pool.Return(first);
        Assert.Same(first, pool.Rent());

        SpliceCopier made = pool.Rent();
        Assert.NotSame(first, made);
        Assert.NotSame(second, made);
        made.Dispose();
        second.Dispose();
        first.Dispose();
    }

    [Fact]
    public void At_most_eight_idle_copiers_are_kept()
    {
        using var pool = new SpliceCopierPool(reserve: 0);
        List<SpliceCopier> rented = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        rented.ForEach(pool.Return);

        List<SpliceCopier> again = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        Assert.Equal(8, again.Count(rented.Contains));
        again.ForEach(c => c.Dispose());
    }
}
