using Skiff.Core.Errors;

namespace Skiff.Runtime.Seccomp;

/// <summary>
/// A straight piece of BPF with forward jumps to labels, resolved to the 8-bit relative offsets
/// conditional jumps carry.
/// </summary>
internal sealed class BpfBlock
{
    /// <summary>The label of the next instruction (offset 0).</summary>
    public const int Next = -1;

    private readonly List<(BpfInstruction Instruction, int True, int False)> code = [];
    private readonly List<int> labels = [];

    public int NewLabel()
    {
        labels.Add(-1);
        return labels.Count - 1;
    }

    public void Place(int label) => labels[label] = code.Count;

    public void Load(uint offset) => Add(new(BpfInstruction.LoadWordAbsolute, 0, 0, offset));

    public void And(uint mask) => Add(new(BpfInstruction.AndConstant, 0, 0, mask));

    public void Return(uint value) => Add(new(BpfInstruction.Return, 0, 0, value));

    public void Jump(ushort code, uint k, int whenTrue, int whenFalse) => this.code.Add((new BpfInstruction(code, 0, 0, k), whenTrue, whenFalse));

    public List<BpfInstruction> Resolve()
    {
        var resolved = new List<BpfInstruction>(code.Count);
        for (int i = 0; i < code.Count; i++)
        {
            (BpfInstruction instruction, int whenTrue, int whenFalse) = code[i];
            resolved.Add(instruction with { JumpTrue = Offset(i, whenTrue), JumpFalse = Offset(i, whenFalse) });
        }

        return resolved;
    }

    private void Add(BpfInstruction instruction) => code.Add((instruction, Next, Next));

    private byte Offset(int from, int label)
    {
        if (label == Next)
        {
            return 0;
        }

        int offset = labels[label] - (from + 1);
        if (labels[label] < 0 || offset < 0 || offset > byte.MaxValue)
        {
            throw SkiffException.Internal($"seccomp filter jump out of range ({offset})");
        }

        return (byte)offset;
    }
}
