using System.Globalization;
using System.Text;

namespace Warden.Web.Metrics;

/// <summary>A measurement's tags as the label set of one series, in its written form.</summary>
internal static class Labels
{
    /// <summary>
    /// <c>a="x",b="y"</c>, sorted by label name so the same tags in another order are the same
    /// series; empty for no tags. Tags without a value are left out.
    /// </summary>
    public static string Format(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var sorted = new KeyValuePair<string, object?>[tags.Length];
        tags.CopyTo(sorted);
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (var (key, value) in sorted)
        {
            if (value is null)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(PrometheusText.Name(key, label: true)).Append("=\"");
            PrometheusText.AppendLabelValue(text, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
            text.Append('"');
        }

        return text.ToString();
    }

    /// <summary>The label set with one more label appended (a histogram's <c>le</c>).</summary>
    public static string With(string labels, string name, string value)
    {
        var text = new StringBuilder(labels);
        if (text.Length > 0)
        {
            text.Append(',');
        }

        text.Append(name).Append("=\"");
        PrometheusText.AppendLabelValue(text, value);
        return text.Append('"').ToString();
    }
}
