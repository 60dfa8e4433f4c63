namespace CloudGateway.Metrics;

/// <summary>One series' value, or a histogram's bucket counts (not cumulative), sum and count.</summary>
internal sealed class MetricPoint(int buckets)
{
    public double Value { get; set; }

    public long[] Buckets { get; } = new long[buckets];

    public long Count { get; private set; }

    public void Observe(double value, double[] bounds)
    {
        var index = Array.FindIndex(bounds, bound => value <= bound);
        if (index >= 0)
        {
            Buckets[index]++;
        }

        Value += value;
        Count++;
    }
}
