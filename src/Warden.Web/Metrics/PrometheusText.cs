using System.Globalization;
using System.Text;

namespace Warden.Web.Metrics;

/// <summary>
/// The pieces of Prometheus's text exposition format 0.0.4 (prometheus.io/docs/instrumenting/
/// exposition_formats): metric and label names, escaped label values and HELP text, numbers.
/// </summary>
internal static class PrometheusText
{
    /// <summary>The Content-Type of a scrape answer in this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// A metric or label name: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c> for metrics, without the colon for
    /// labels (the format reserves colons for recording rules). Anything else becomes <c>_</c>.
    /// </summary>
    public static string Name(string name, bool label = false)
    {
        var text = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = char.IsAsciiLetter(c) || c == '_' || (!label && c == ':') || (i > 0 && char.IsAsciiDigit(c));
            text.Append(ok ? c : '_');
        }

        return text.Length == 0 ? "_" : text.ToString();
    }

    /// <summary>Appends a label value: backslash, double quote and line feed are escaped.</summary>
    public static void AppendLabelValue(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '"':
                    text.Append("\\\"");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }

    /// <summary>HELP text: backslash and line feed are escaped (quotes are not, in HELP).</summary>
    public static string Help(string help) => help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>A sample value as Go's ParseFloat reads it: integers without exponent, +Inf, -Inf, NaN.</summary>
    public static string Number(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (double.IsNaN(value))
        {
            return "NaN";
        }

        return value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
    }
}
