namespace Skiff.Tests.Support;

/// <summary>
/// Waits for something the system does asynchronously (a monitor exec'ing skiff-relay, a process ending):
/// checks every 100 ms and fails the test when the condition still does not hold after <c>within</c>.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <param name="condition">Checked until it is true.</param>
    /// <param name="within">How long to wait: 30 s unless given.</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        TimeSpan limit = within ?? TimeSpan.FromSeconds(30);
        int attempts = (int)(limit / Interval);
        for (int i = 0; i < attempts; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(Interval);
        }

        Assert.Fail($"condition not met within {limit.TotalSeconds} s");
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan? within = null) =>
        UntilAsync(() => Task.FromResult(condition()), within);
}
