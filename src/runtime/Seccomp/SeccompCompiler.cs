using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Seccomp;

/// <summary>
/// Compiles the OCI seccomp section to a classic BPF program for the host architecture, as libseccomp
/// would: a foreign architecture (or an x32 call on x86_64) kills the process; then one block per
/// system call number holding its rules in order (argument conditions ANDed, compared as 64-bit values
/// in two 32-bit halves); anything else gets the default action. Names the architecture lacks are skipped.
/// </summary>
public static class SeccompCompiler
{
    /// <summary>The kernel's BPF_MAXINSNS.</summary>
    public const int MaxInstructions = 4096;

    // struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6] (little endian).
    private const uint NrOffset = 0;
    private const uint ArchOffset = 4;
    private const uint ArgsOffset = 16;
    private const uint X32SyscallBit = 0x40000000;

    public static BpfInstruction[] Compile(SeccompSpec spec) => Compile(spec, RuntimeInformation.OSArchitecture);

    public static BpfInstruction[] Compile(SeccompSpec spec, Architecture architecture)
    {
        uint audit = SeccompArchitectures.Audit(architecture)
            ?? throw SkiffException.PrerequisiteMissing($"skiff's runtime has no seccomp support for {architecture}", "use --security-opt seccomp=unconfined or --runtime runc");
        uint defaultAction = SeccompActions.ReturnValue(spec.DefaultAction, spec.DefaultErrnoRet);

        // Every (system call, rule) pair as the call's number over the rule's index, sorted: by number, then in
        // the spec's order. One sort instead of a sorted dictionary of per-call lists (the default profile names
        // ~300 calls).
        List<SeccompSyscall> rules = spec.Syscalls ?? [];
        int names = 0;
        foreach (SeccompSyscall rule in rules)
        {
            names += rule.Names.Count;
        }

        var keys = new List<long>(names);
        for (int r = 0; r < rules.Count; r++)
        {
            SeccompActions.ReturnValue(rules[r].Action, rules[r].ErrnoRet);
            foreach (string name in rules[r].Names)
            {
                if (SyscallTable.TryGetNumber(architecture, name, out int number))
                {
                    keys.Add(((long)number << 32) | (uint)r);
                }
            }
        }

        keys.Sort();
        var program = new List<BpfInstruction>((keys.Count * 2) + 8)
        {
            Load(ArchOffset),
            new(BpfInstruction.JumpEqual, 1, 0, audit),
            Return(SeccompActions.KillProcess),
            Load(NrOffset),
        };
        if (architecture == Architecture.X64)
        {
            program.Add(new(BpfInstruction.JumpGreaterOrEqual, 0, 1, X32SyscallBit));
            program.Add(Return(SeccompActions.KillProcess));
        }

        for (int first = 0; first < keys.Count;)
        {
            int number = (int)(keys[first] >> 32);
            int end = first + 1;
            while (end < keys.Count && (int)(keys[end] >> 32) == number)
            {
                end++;
            }

            SeccompSyscall head = rules[(int)keys[first]];
            if (head.Args is not { Count: > 0 })
            {
                // The common case: the first rule has no conditions, so the block is its return alone.
                program.Add(new(BpfInstruction.JumpEqual, 0, 1, (uint)number));
                program.Add(Return(SeccompActions.ReturnValue(head.Action, head.ErrnoRet)));
            }
            else
            {
                var blockRules = new List<SeccompSyscall>(end - first);
                for (int i = first; i < end; i++)
                {
                    blockRules.Add(rules[(int)keys[i]]);
                }

                List<BpfInstruction> block = Block(blockRules, defaultAction);
                if (block.Count <= byte.MaxValue)
                {
                    program.Add(new(BpfInstruction.JumpEqual, 0, (byte)block.Count, (uint)number));
                }
                else
                {
                    program.Add(new(BpfInstruction.JumpEqual, 1, 0, (uint)number));
                    program.Add(new(BpfInstruction.JumpAlways, 0, 0, (uint)block.Count));
                }

                program.AddRange(block);
            }

            first = end;
        }

        program.Add(Return(defaultAction));
        if (program.Count > MaxInstructions)
        {
            throw SkiffException.InvalidArgument($"the seccomp filter needs {program.Count} instructions, more than the kernel's {MaxInstructions}");
        }

        return [.. program];
    }

    /// <summary>The rules of one system call; the accumulator holds its number on entry and every path returns.</summary>
    private static List<BpfInstruction> Block(List<SeccompSyscall> rules, uint defaultAction)
    {
        var block = new BpfBlock();
        foreach (SeccompSyscall rule in rules)
        {
            uint action = SeccompActions.ReturnValue(rule.Action, rule.ErrnoRet);
            if (rule.Args is not { Count: > 0 } args)
            {
                block.Return(action);
                return block.Resolve();
            }

            int nextRule = block.NewLabel();
            foreach (SeccompArg arg in args)
            {
                Condition(block, arg, nextRule);
            }

            block.Return(action);
            block.Place(nextRule);
        }

        block.Return(defaultAction);
        return block.Resolve();
    }

    /// <summary>Falls through when the condition holds, jumps to <paramref name="fail"/> otherwise.</summary>
    private static void Condition(BpfBlock block, SeccompArg arg, int fail)
    {
        if (arg.Index > 5)
        {
            throw SkiffException.InvalidArgument($"seccomp argument index {arg.Index} is above 5");
        }

        uint low = ArgsOffset + (arg.Index * 8);
        uint high = low + 4;
        (uint valueHigh, uint valueLow) = Split(arg.Value);
        int pass = block.NewLabel();
        switch (arg.Op)
        {
            case "SCMP_CMP_EQ":
                block.Load(high);
                block.Jump(BpfInstruction.JumpEqual, valueHigh, BpfBlock.Next, fail);
                block.Load(low);
                block.Jump(BpfInstruction.JumpEqual, valueLow, BpfBlock.Next, fail);
                break;
            case "SCMP_CMP_NE":
                block.Load(high);
                block.Jump(BpfInstruction.JumpEqual, valueHigh, BpfBlock.Next, pass);
                block.Load(low);
                block.Jump(BpfInstruction.JumpEqual, valueLow, fail, BpfBlock.Next);
                break;
            case "SCMP_CMP_MASKED_EQ":
                // The spec's value is the mask and valueTwo the datum: (arg & value) == valueTwo.
                (uint datumHigh, uint datumLow) = Split(arg.ValueTwo);
                block.Load(high);
                block.And(valueHigh);
                block.Jump(BpfInstruction.JumpEqual, datumHigh, BpfBlock.Next, fail);
                block.Load(low);
                block.And(valueLow);
                block.Jump(BpfInstruction.JumpEqual, datumLow, BpfBlock.Next, fail);
                break;
            case "SCMP_CMP_GT" or "SCMP_CMP_GE":
                block.Load(high);
                block.Jump(BpfInstruction.JumpGreater, valueHigh, pass, BpfBlock.Next);
                block.Jump(BpfInstruction.JumpEqual, valueHigh, BpfBlock.Next, fail);
                block.Load(low);
                block.Jump(arg.Op == "SCMP_CMP_GT" ? BpfInstruction.JumpGreater : BpfInstruction.JumpGreaterOrEqual, valueLow, BpfBlock.Next, fail);
                break;
            case "SCMP_CMP_LT" or "SCMP_CMP_LE":
                block.Load(high);
                block.Jump(BpfInstruction.JumpGreater, valueHigh, fail, BpfBlock.Next);
                block.Jump(BpfInstruction.JumpEqual, valueHigh, BpfBlock.Next, pass);
                block.Load(low);
                block.Jump(arg.Op == "SCMP_CMP_LT" ? BpfInstruction.JumpGreaterOrEqual : BpfInstruction.JumpGreater, valueLow, fail, BpfBlock.Next);
                break;
            default:
                throw SkiffException.InvalidArgument($"unknown seccomp operator `{arg.Op}`");
        }

        block.Place(pass);
    }

    private static (uint High, uint Low) Split(ulong value) => ((uint)(value >> 32), (uint)value);

    private static BpfInstruction Load(uint offset) => new(BpfInstruction.LoadWordAbsolute, 0, 0, offset);

    private static BpfInstruction Return(uint value) => new(BpfInstruction.Return, 0, 0, value);
}
