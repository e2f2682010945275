using System.Globalization;

namespace Skiff.Cli.Output;

/// <summary>Go's <c>%g</c> and <c>%v</c> float formatting, which docker's sizes and templates print.</summary>
public static class GoNumbers
{
    /// <summary>Go <c>%.{precision}g</c>: scientific when the exponent is &lt; -4 or ≥ precision; trailing zeros removed.</summary>
    public static string FormatG(double value, int precision)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return "0";
        }

        precision = Math.Max(precision, 1);
        string scientific = value.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int e = scientific.IndexOf('E');
        int exponent = int.Parse(scientific.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= precision)
        {
            string mantissa = TrimZeros(scientific[..e]);
            return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        string fixedPoint = value.ToString("F" + Math.Max(precision - 1 - exponent, 0).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return TrimZeros(fixedPoint);
    }

    /// <summary>Go <c>%v</c> of a float64: the shortest representation, scientific from 1e21 or below 1e-4.</summary>
    public static string FormatShortest(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value == 0)
        {
            return FormatG(value, 1);
        }

        string roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        double magnitude = Math.Abs(value);
        if (magnitude < 1e21 && magnitude >= 1e-4)
        {
            return double.Parse(roundTrip, CultureInfo.InvariantCulture).ToString("0.####################", CultureInfo.InvariantCulture);
        }

        string scientific = value.ToString("E16", CultureInfo.InvariantCulture);
        int e = scientific.IndexOf('E');
        int exponent = int.Parse(scientific.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string digits = (value / Math.Pow(10, exponent)).ToString("R", CultureInfo.InvariantCulture);
        return $"{digits}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    private static string TrimZeros(string number)
    {
        if (!number.Contains('.'))
        {
            return number;
        }

        return number.TrimEnd('0').TrimEnd('.');
    }
}
