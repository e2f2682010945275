namespace Skiff.Runtime.Spec;

/// <summary>A condition on one syscall argument (op: SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ, …).</summary>
public sealed class SeccompArg
{
    public uint Index { get; set; }

    public ulong Value { get; set; }

    public ulong ValueTwo { get; set; }

    public string Op { get; set; } = string.Empty;
}
