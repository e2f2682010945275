using Skiff.Runtime.Process;

namespace Skiff.Tests.Unit.Runtime;

/// <summary>Where a spawned child's process group and session are (/proc/PID/stat fields 5 and 6).</summary>
public sealed class SpawnerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_new_process_group_stays_in_our_session(bool newGroup)
    {
        int pid = Spawner.Spawn(new SpawnRequest("/bin/sleep", ["30"], new Dictionary<string, string>()) { NewProcessGroup = newGroup });
        try
        {
            (int group, int session) = GroupAndSession(pid);
            (int ourGroup, int ourSession) = GroupAndSession(Environment.ProcessId);

            Assert.Equal(newGroup ? pid : ourGroup, group);
            Assert.Equal(ourSession, session);
        }
        finally
        {
            ChildProcesses.TrySignal(pid, 9);
            ChildProcesses.Wait(pid);
        }
    }

    private static (int Group, int Session) GroupAndSession(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
    }
}
