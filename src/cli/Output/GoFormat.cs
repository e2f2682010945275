using System.Globalization;
using System.Text;

namespace Skiff.Cli.Output;

/// <summary>
/// The part of Go's <c>fmt.Sprintf</c> that format strings in templates use: verbs <c>%v %s %d %q %t %x %X
/// %f %g %e %%</c> with the flags <c>- + 0 space</c>, width and precision.
/// </summary>
public static class GoFormat
{
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var output = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%')
            {
                output.Append(c);
                continue;
            }

            i++;
            if (i >= format.Length)
            {
                output.Append("%!(NOVERB)");
                break;
            }

            bool minus = false, plus = false, zero = false, space = false;
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '-': minus = true; continue;
                    case '+': plus = true; continue;
                    case '0': zero = true; continue;
                    case ' ': space = true; continue;
                    case '#': continue;
                }

                break;
            }

            int width = ReadNumber(format, ref i);
            int precision = -1;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = Math.Max(ReadNumber(format, ref i), 0);
            }

            if (i >= format.Length)
            {
                output.Append("%!(NOVERB)");
                break;
            }

            char verb = format[i];
            if (verb == '%')
            {
                output.Append('%');
                continue;
            }

            if (next >= args.Count)
            {
                output.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            string text = FormatOne(verb, args[next++], precision, plus, space);
            Pad(output, text, width, minus, zero && !minus && verb is not ('s' or 'q' or 'v' or 't'));
        }

        if (next < args.Count)
        {
            output.Append("%!(EXTRA ");
            for (int j = next; j < args.Count; j++)
            {
                if (j > next)
                {
                    output.Append(", ");
                }

                output.Append(GoValues.TypeName(args[j])).Append('=').Append(GoValues.Print(args[j]));
            }

            output.Append(')');
        }

        return output.ToString();
    }

    private static string FormatOne(char verb, object? arg, int precision, bool plus, bool space)
    {
        bool isInteger = GoValues.TryInteger(arg, out long integer);
        switch (verb)
        {
            case 'v':
                return GoValues.Print(arg);
            case 's':
                string s = GoValues.Print(arg);
                return precision >= 0 && precision < s.Length ? s[..precision] : s;
            case 'q':
                return arg is string quoted ? Quote(quoted) : isInteger ? "'" + char.ConvertFromUtf32((int)integer) + "'" : Quote(GoValues.Print(arg));
            case 't' when arg is bool b:
                return b ? "true" : "false";
            case 'd' when isInteger:
                return Sign(integer.ToString(CultureInfo.InvariantCulture), integer >= 0, plus, space);
            case 'x' or 'X' when isInteger:
                string hex = Math.Abs(integer).ToString(verb == 'x' ? "x" : "X", CultureInfo.InvariantCulture);
                return (integer < 0 ? "-" : string.Empty) + hex;
            case 'x' or 'X' when arg is string str:
                string bytes = Convert.ToHexString(Encoding.UTF8.GetBytes(str));
                return verb == 'x' ? bytes.ToLowerInvariant() : bytes;
            case 'f' or 'F' or 'e' or 'g' when isInteger || arg is double or float:
                double d = isInteger ? integer : Convert.ToDouble(arg, CultureInfo.InvariantCulture);
                string number = verb switch
                {
                    'g' => precision < 0 ? GoNumbers.FormatShortest(d) : GoNumbers.FormatG(d, precision),
                    'e' => FormatE(d, precision < 0 ? 6 : precision),
                    _ => d.ToString("F" + (precision < 0 ? 6 : precision).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
                };
                return Sign(number, d >= 0, plus, space);
            default:
                return $"%!{verb}({GoValues.TypeName(arg)}={GoValues.Print(arg)})";
        }
    }

    private static string FormatE(double value, int precision)
    {
        string text = value.ToString("E" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int e = text.IndexOf('E');
        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{text[..e]}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    private static string Sign(string number, bool nonNegative, bool plus, bool space) =>
        nonNegative && plus ? "+" + number : nonNegative && space ? " " + number : number;

    private static void Pad(StringBuilder output, string text, int width, bool left, bool zeros)
    {
        int padding = width - text.Length;
        if (padding <= 0)
        {
            output.Append(text);
        }
        else if (left)
        {
            output.Append(text).Append(' ', padding);
        }
        else if (zeros && text.Length > 0 && text[0] is '-' or '+')
        {
            output.Append(text[0]).Append('0', padding).Append(text, 1, text.Length - 1);
        }
        else
        {
            output.Append(zeros ? '0' : ' ', padding).Append(text);
        }
    }

    private static int ReadNumber(string format, ref int i)
    {
        int start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }

        return i > start ? int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Go's <c>strconv.Quote</c> for the characters that matter in our outputs.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                case '\r': builder.Append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
