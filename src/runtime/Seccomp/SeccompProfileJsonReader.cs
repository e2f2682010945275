using System.Text.Json;
using Skiff.Runtime.Spec;
using static Skiff.Core.Json.JsonFields;

namespace Skiff.Runtime.Seccomp;

/// <summary>
/// Reads a seccomp profile (docker's format) into <see cref="SeccompProfile"/> with <see cref="Utf8JsonReader"/>
/// directly: `run` and `create` read the default profile on every container's start, and System.Text.Json's
/// source-generated metadata for its types is built at the first use through reflection that is slow under
/// NativeAOT (more CPU than parsing the profile). Same contract as <see cref="SeccompJsonContext"/>: camelCase
/// names matched case-sensitively, unknown members skipped, comments and trailing commas allowed, a JSON null
/// sets a reference property to null and is an error for a number (SeccompProfileJsonReaderTests compares the two).
/// </summary>
public static class SeccompProfileJsonReader
{
    /// <summary>Returns null for a document that is JSON null; throws <see cref="JsonException"/> (with the line) for anything else that is not a profile.</summary>
    public static SeccompProfile? Read(ReadOnlySpan<byte> json) => Document<SeccompProfile>(json, Profile, "profile");

    private static SeccompProfile? Profile(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var profile = new SeccompProfile();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("defaultAction"u8)) { profile.DefaultAction = String(ref r)!; }
            else if (r.ValueTextEquals("defaultErrnoRet"u8)) { profile.DefaultErrnoRet = NullableUInt32(ref r); }
            else if (r.ValueTextEquals("architectures"u8)) { profile.Architectures = Strings(ref r); }
            else if (r.ValueTextEquals("archMap"u8)) { profile.ArchMap = List(ref r, ArchMap); }
            else if (r.ValueTextEquals("flags"u8)) { profile.Flags = Strings(ref r); }
            else if (r.ValueTextEquals("syscalls"u8)) { profile.Syscalls = List(ref r, Rule); }
            else { Skip(ref r); }
        }

        return profile;
    }

    private static SeccompArchMap? ArchMap(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var map = new SeccompArchMap();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("architecture"u8)) { map.Architecture = String(ref r)!; }
            else if (r.ValueTextEquals("subArchitectures"u8)) { map.SubArchitectures = Strings(ref r); }
            else { Skip(ref r); }
        }

        return map;
    }

    private static SeccompProfileRule? Rule(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        var rule = new SeccompProfileRule();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("names"u8)) { rule.Names = Strings(ref r); }
            else if (r.ValueTextEquals("name"u8)) { rule.Name = String(ref r); }
            else if (r.ValueTextEquals("action"u8)) { rule.Action = String(ref r)!; }
            else if (r.ValueTextEquals("errnoRet"u8)) { rule.ErrnoRet = NullableUInt32(ref r); }
            else if (r.ValueTextEquals("args"u8)) { rule.Args = List(ref r, SpecJsonReader.SyscallArg); }
            else if (r.ValueTextEquals("includes"u8)) { rule.Includes = Filter(ref r); }
            else if (r.ValueTextEquals("excludes"u8)) { rule.Excludes = Filter(ref r); }
            else { Skip(ref r); }
        }

        return rule;
    }

    private static SeccompRuleFilter? Filter(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var filter = new SeccompRuleFilter();
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("caps"u8)) { filter.Caps = Strings(ref r); }
            else if (r.ValueTextEquals("arches"u8)) { filter.Arches = Strings(ref r); }
            else if (r.ValueTextEquals("minKernel"u8)) { filter.MinKernel = String(ref r); }
            else { Skip(ref r); }
        }

        return filter;
    }
}
