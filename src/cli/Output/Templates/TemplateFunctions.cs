using System.Collections;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Skiff.Cli.Output.Templates;

/// <summary>
/// The functions a --format template can call: Go's built-ins (<c>index len printf print println eq ne lt
/// le gt ge and or not slice</c>) and the ones docker and podman add (<c>json join split upper lower title
/// truncate pad</c>). A function reports misuse by throwing <see cref="ArgumentException"/>; the executor
/// adds the position.
/// </summary>
public static class TemplateFunctions
{
    public static FrozenDictionary<string, Func<IReadOnlyList<object?>, object?>> All { get; } =
        new Dictionary<string, Func<IReadOnlyList<object?>, object?>>
        {
            ["json"] = args => JsonOutput.Serialize(Single(args, "json"), indented: false),
            ["join"] = Join,
            ["split"] = args => Strings(args, "split", 2) is var s ? s[0].Split(s[1]).Cast<object?>().ToList() : null,
            ["upper"] = args => GoValues.Print(Single(args, "upper")).ToUpperInvariant(),
            ["lower"] = args => GoValues.Print(Single(args, "lower")).ToLowerInvariant(),
            ["title"] = args => Title(GoValues.Print(Single(args, "title"))),
            ["truncate"] = Truncate,
            ["pad"] = Pad,
            ["index"] = Index,
            ["len"] = Length,
            ["slice"] = Slice,
            ["printf"] = args => args.Count == 0 || args[0] is not string format
                ? throw new ArgumentException("printf needs a format string")
                : GoFormat.Sprintf(format, args.Skip(1).ToList()),
            ["print"] = args => Print(args, line: false),
            ["println"] = args => Print(args, line: true),
            ["eq"] = args => AtLeast(args, "eq", 2).Skip(1).Any(b => Compare(args[0], b, "eq") == 0),
            ["ne"] = args => Exactly(args, "ne", 2) is var a && Compare(a[0], a[1], "ne") != 0,
            ["lt"] = args => Exactly(args, "lt", 2) is var a && Compare(a[0], a[1], "lt") < 0,
            ["le"] = args => Exactly(args, "le", 2) is var a && Compare(a[0], a[1], "le") <= 0,
            ["gt"] = args => Exactly(args, "gt", 2) is var a && Compare(a[0], a[1], "gt") > 0,
            ["ge"] = args => Exactly(args, "ge", 2) is var a && Compare(a[0], a[1], "ge") >= 0,
            ["and"] = args => AtLeast(args, "and", 1).FirstOrDefault(a => !GoValues.IsTrue(a), args[^1]),
            ["or"] = args => AtLeast(args, "or", 1).FirstOrDefault(GoValues.IsTrue, args[^1]),
            ["not"] = args => !GoValues.IsTrue(Single(args, "not")),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlySet<string> Names { get; } = All.Keys.ToFrozenSet(StringComparer.Ordinal);

    private static object? Single(IReadOnlyList<object?> args, string name) =>
        Exactly(args, name, 1)[0];

    private static IReadOnlyList<object?> Exactly(IReadOnlyList<object?> args, string name, int count) =>
        args.Count == count ? args : throw new ArgumentException($"wrong number of args for {name}: want {count} got {args.Count}");

    private static IReadOnlyList<object?> AtLeast(IReadOnlyList<object?> args, string name, int count) =>
        args.Count >= count ? args : throw new ArgumentException($"wrong number of args for {name}: want at least {count} got {args.Count}");

    private static string[] Strings(IReadOnlyList<object?> args, string name, int count) =>
        Exactly(args, name, count).Select(a => a as string ?? throw new ArgumentException($"wrong type for value; expected string; got {GoValues.TypeName(a)}")).ToArray();

    private static long Integer(object? value) =>
        GoValues.TryInteger(value, out long n) ? n : throw new ArgumentException($"wrong type for value; expected int; got {GoValues.TypeName(value)}");

    private static object? Join(IReadOnlyList<object?> args)
    {
        Exactly(args, "join", 2);
        string separator = args[1] as string ?? throw new ArgumentException($"wrong type for value; expected string; got {GoValues.TypeName(args[1])}");
        return args[0] switch
        {
            null or NilValue => string.Empty,
            string s => s,
            IList list => string.Join(separator, list.Cast<object?>().Select(GoValues.Print)),
            var other => throw new ArgumentException($"wrong type for value; expected []string; got {GoValues.TypeName(other)}"),
        };
    }

    private static object? Truncate(IReadOnlyList<object?> args)
    {
        Exactly(args, "truncate", 2);
        string text = GoValues.Print(args[0]);
        long length = Integer(args[1]);
        return length >= 0 && length < text.Length ? text[..(int)length] : text;
    }

    /// <summary>podman's <c>pad TEXT PREFIX SUFFIX</c>: the text with that many spaces before and after.</summary>
    private static object? Pad(IReadOnlyList<object?> args)
    {
        Exactly(args, "pad", 3);
        return new string(' ', (int)Math.Max(Integer(args[1]), 0)) + GoValues.Print(args[0]) + new string(' ', (int)Math.Max(Integer(args[2]), 0));
    }

    private static string Title(string text)
    {
        var builder = new StringBuilder(text.Length);
        bool start = true;
        foreach (char c in text)
        {
            builder.Append(start ? char.ToUpperInvariant(c) : c);
            start = !char.IsLetterOrDigit(c) && c != '_' && c != '\'';
        }

        return builder.ToString();
    }

    private static object? Index(IReadOnlyList<object?> args)
    {
        AtLeast(args, "index", 1);
        object? item = args[0];
        foreach (object? key in args.Skip(1))
        {
            item = item switch
            {
                TemplateMap map => map.TryGetValue(GoValues.Print(key), out object? value) ? value : map.ZeroValue,
                TemplateObject obj => throw new ArgumentException($"can't index item of type {obj.TypeName}"),
                NilValue nil when nil == NilValue.Map => string.Empty,
                string s => (long)s[(int)CheckIndex(key, s.Length)],
                IList list => list[(int)CheckIndex(key, list.Count)],
                null or MissingValue => throw new ArgumentException("index of untyped nil"),
                var other => throw new ArgumentException($"can't index item of type {GoValues.TypeName(other)}"),
            };
        }

        return item;
    }

    private static long CheckIndex(object? key, int count)
    {
        long i = Integer(key);
        return i >= 0 && i < count ? i : throw new ArgumentException($"index out of range: {i}");
    }

    private static object? Length(IReadOnlyList<object?> args) => Single(args, "len") switch
    {
        string s => (long)s.Length,
        TemplateMap map => (long)map.Count,
        NilValue => 0L,
        IList list => (long)list.Count,
        var other => throw new ArgumentException($"len of type {GoValues.TypeName(other)}"),
    };

    private static object? Slice(IReadOnlyList<object?> args)
    {
        AtLeast(args, "slice", 1);
        object? item = args[0];
        int count = item switch
        {
            string s => s.Length,
            IList list => list.Count,
            _ => throw new ArgumentException($"can't slice item of type {GoValues.TypeName(item)}"),
        };
        int start = args.Count > 1 ? (int)Integer(args[1]) : 0;
        int end = args.Count > 2 ? (int)Integer(args[2]) : count;
        if (start < 0 || end < start || end > count)
        {
            throw new ArgumentException($"index out of range: {start}:{end}");
        }

        return item is string text ? text[start..end] : ((IList)item!).Cast<object?>().Skip(start).Take(end - start).ToList();
    }

    /// <summary>fmt.Sprint adds spaces between operands when neither is a string; Sprintln always does.</summary>
    private static string Print(IReadOnlyList<object?> args, bool line)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0 && (line || (args[i] is not string && args[i - 1] is not string)))
            {
                builder.Append(' ');
            }

            GoValues.Print(builder, args[i]);
        }

        if (line)
        {
            builder.Append('\n');
        }

        return builder.ToString();
    }

    private static int Compare(object? a, object? b, string name)
    {
        if (GoValues.TryInteger(a, out long x) && GoValues.TryInteger(b, out long y))
        {
            return x.CompareTo(y);
        }

        if (a is double or float || b is double or float)
        {
            return Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture));
        }

        return (a, b) switch
        {
            (string s, string t) => string.CompareOrdinal(s, t),
            (bool p, bool q) when name is "eq" or "ne" => p == q ? 0 : 1,
            (null, null) when name is "eq" or "ne" => 0,
            (null, _) or (_, null) when name is "eq" or "ne" => 1,
            _ => throw new ArgumentException($"incompatible types for comparison: {GoValues.TypeName(a)} and {GoValues.TypeName(b)}"),
        };
    }
}
