namespace Skiff.Runtime.Cgroups.Systemd;

/// <summary>
/// The JobRemoved results seen on one connection. A signal can arrive before the reply that names its job,
/// so results are kept until asked for (go-systemd subscribes before calling for the same reason).
/// </summary>
internal sealed class SystemdJobs
{
    private readonly Dictionary<string, TaskCompletionSource<string>> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private Exception? _failure;

    /// <summary>Called for every JobRemoved(id, job, unit, result) signal.</summary>
    public void Removed(string job, string result) => Completion(job).TrySetResult(result);

    /// <summary>The connection broke: no job can finish any more.</summary>
    public void Fail(Exception exception)
    {
        lock (_lock)
        {
            _failure ??= exception;
            foreach (TaskCompletionSource<string> job in _jobs.Values)
            {
                job.TrySetException(exception);
            }
        }
    }

    /// <summary>The job's result ("done", "failed", "canceled", "timeout", "dependency", "skipped").</summary>
    public Task<string> ResultAsync(string job) => Completion(job).Task;

    private TaskCompletionSource<string> Completion(string job)
    {
        lock (_lock)
        {
            if (!_jobs.TryGetValue(job, out TaskCompletionSource<string>? completion))
            {
                completion = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_failure is not null)
                {
                    completion.TrySetException(_failure);
                }

                _jobs[job] = completion;
            }

            return completion;
        }
    }
}
