using Skiff.Runtime.Threading;

namespace Skiff.Tests.Unit.Runtime;

public class BackgroundThreadTests
{
    [Fact]
    public async Task Work_runs_on_a_named_background_thread_of_its_own_and_returns_its_result()
    {
        int caller = Environment.CurrentManagedThreadId;
        (int Id, string? Name, bool Background, string Comm) seen = await BackgroundThread.Run("skiff test", () =>
            (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground,
             File.ReadAllText("/proc/thread-self/comm").Trim()));

        Assert.NotEqual(caller, seen.Id);
        Assert.Equal("skiff test", seen.Name);
        Assert.True(seen.Background);
        Assert.Equal("skiff test", seen.Comm);
    }

    [Fact]
    public async Task An_exception_of_the_work_ends_the_task_with_it()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => BackgroundThread.Run("failing", () => throw new InvalidOperationException("boom")));
        Assert.Equal("boom", e.Message);
    }

    [Fact]
    public void Join_waits_until_the_work_returned()
    {
        using var release = new ManualResetEventSlim();
        int done = 0;
        BackgroundThread thread = BackgroundThread.Start("joined", () =>
        {
            release.Wait();
            Volatile.Write(ref done, 1);
        });

        Assert.False(thread.Join(TimeSpan.FromMilliseconds(50)));
        release.Set();
        thread.Join();
        Assert.Equal(1, Volatile.Read(ref done));
    }
}
