using System.Diagnostics.Metrics;

namespace CloudGateway.Metrics;

/// <summary>
/// Listens to one relay's <see cref="Meter"/> (that object only: other relays in the process have their own) and to
/// the process's tenant side (<see cref="Client.ClientMetrics"/>: the failovers of tunnels it runs), and keeps
/// what a scrape needs: counter sums, histogram buckets, and on each <see cref="Scrape"/> fresh observations.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly object _gate = new();
    private readonly object _scrapeGate = new();
    private readonly Dictionary<Instrument, MetricFamily> _families = [];
    private readonly MeterListener _listener;

    public MetricsCollector(Meter meter)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) || instrument.Meter.Name == Client.ClientMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Observes the observable instruments afresh and returns every series in Prometheus' text format.</summary>
    public string Scrape()
    {
        lock (_scrapeGate)
        {
            lock (_gate)
            {
                foreach (var family in _families.Values.Where(f => f.IsObservable))
                {
                    family.Points.Clear();
                }
            }

            _listener.RecordObservableInstruments();
            lock (_gate)
            {
                return PrometheusText.Write(_families.Values);
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = PrometheusText.Labels(tags);
        lock (_gate)
        {
            if (!_families.TryGetValue(instrument, out var family))
            {
                family = new MetricFamily(instrument);
                _families[instrument] = family;
            }

            family.Record(labels, value);
        }
    }
}
