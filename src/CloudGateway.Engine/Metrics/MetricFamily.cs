using System.Diagnostics.Metrics;

namespace CloudGateway.Metrics;

/// <summary>One instrument's series as Prometheus sees them: its name, type, help and one point per label set.</summary>
internal sealed class MetricFamily
{
    /// <summary>The histogram bucket bounds, in seconds: every duration the relay records is a time.</summary>
    public static readonly double[] Bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    public MetricFamily(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        Type = definition == typeof(Histogram<>) ? "histogram"
            : definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? "counter"
            : "gauge";
        Name = NameOf(instrument, Type);
        Help = instrument.Description ?? string.Empty;
        IsObservable = instrument.IsObservable;
    }

    /// <summary>The Prometheus name: dots become underscores, the unit and a counter's _total are appended.</summary>
    public string Name { get; }

    /// <summary>counter, gauge or histogram.</summary>
    public string Type { get; }

    public string Help { get; }

    /// <summary>Whether the points are observed afresh on each scrape (and so dropped before it).</summary>
    public bool IsObservable { get; }

    /// <summary>The points by their label text (<c>gateway="gw",direction="in"</c>), sorted so a scrape reads the same each time.</summary>
    public SortedDictionary<string, MetricPoint> Points { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="value"/> as the instrument's kind asks: a counter adds, an observation replaces, a histogram counts it in.</summary>
    public void Record(string labels, double value)
    {
        if (!Points.TryGetValue(labels, out var point))
        {
            point = new MetricPoint(Type == "histogram" ? Bounds.Length : 0);
            Points[labels] = point;
        }

        if (IsObservable)
        {
            point.Value = value;
        }
        else if (Type == "histogram")
        {
            point.Observe(value, Bounds);
        }
        else
        {
            point.Value += value;
        }
    }

    private static string NameOf(Instrument instrument, string type)
    {
        var name = instrument.Name.Replace('.', '_');
        var unit = instrument.Unit switch
        {
            "By" => "bytes",
            "s" => "seconds",
            _ => null,
        };
        if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        return type == "counter" ? name + "_total" : name;
    }
}
