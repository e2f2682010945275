namespace Skiff.Runtime.Process;

/// <summary>How a child ended: an exit code, or the signal that killed it.</summary>
public readonly record struct ChildExit(int ExitCode, int Signal)
{
    public bool Signaled => Signal != 0;

    /// <summary>The shell/docker convention: the exit code, or 128 + signal.</summary>
    public int ShellCode => Signaled ? 128 + Signal : ExitCode;

    public static ChildExit FromWaitStatus(int status)
    {
        int termSignal = status & 0x7f;
        return termSignal == 0 ? new ChildExit((status >> 8) & 0xff, 0) : new ChildExit(0, termSignal);
    }
}
