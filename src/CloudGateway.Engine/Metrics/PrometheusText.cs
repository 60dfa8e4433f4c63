using System.Globalization;
using System.Text;

namespace CloudGateway.Metrics;

/// <summary>Writes metric families in Prometheus' text exposition format, version 0.0.4.</summary>
internal static class PrometheusText
{
    /// <summary>The Content-Type of a scrape's answer.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder();
        foreach (var family in families.Where(f => f.Points.Count > 0).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
            foreach (var (labels, point) in family.Points)
            {
                if (family.Type == "histogram")
                {
                    WriteHistogram(text, family.Name, labels, point);
                }
                else
                {
                    Line(text, family.Name, labels, point.Value);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The label text of <paramref name="tags"/>, sorted by name: <c>direction="in",gateway="gw"</c>.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return string.Join(',', sorted.Select(t => t.Key + "=\"" + EscapeLabel(Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? string.Empty) + "\""));
    }

    private static void WriteHistogram(StringBuilder text, string name, string labels, MetricPoint point)
    {
        var prefix = labels.Length == 0 ? string.Empty : labels + ",";
        long cumulative = 0;
        for (var i = 0; i < MetricFamily.Bounds.Length; i++)
        {
            cumulative += point.Buckets[i];
            Line(text, name + "_bucket", prefix + "le=\"" + Number(MetricFamily.Bounds[i]) + "\"", cumulative);
        }

        Line(text, name + "_bucket", prefix + "le=\"+Inf\"", point.Count);
        Line(text, name + "_sum", labels, point.Value);
        Line(text, name + "_count", labels, point.Count);
    }

    private static void Line(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string EscapeLabel(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
