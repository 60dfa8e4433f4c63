namespace CloudGateway.Status;

/// <summary>
/// Samples each gateway's byte counters every second and keeps the last few samples, so the status page can show a
/// rate over the last five seconds whoever asks and however often.
/// </summary>
internal sealed class ThroughputSampler : IDisposable
{
    private const int Kept = 6;

    private readonly object _gate = new();
    private readonly Queue<(long Timestamp, IReadOnlyDictionary<string, (long In, long Out)> Bytes)> _samples = new();
    private readonly Func<IReadOnlyDictionary<string, (long In, long Out)>> _read;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    public ThroughputSampler(Func<IReadOnlyDictionary<string, (long In, long Out)>> read, TimeProvider time)
    {
        _read = read;
        _time = time;
        Sample();
        _timer = time.CreateTimer(_ => Sample(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Bytes per second in and out of <paramref name="gateway"/> between the oldest kept sample (at least half a second old) and now; zero without one.</summary>
    public (double In, double Out) RateOf(string gateway, long bytesIn, long bytesOut)
    {
        lock (_gate)
        {
            foreach (var (timestamp, bytes) in _samples)
            {
                var seconds = _time.GetElapsedTime(timestamp).TotalSeconds;
                if (seconds >= 0.5)
                {
                    // A gateway missing from a sample had not started yet: it carried nothing then.
                    var then = bytes.GetValueOrDefault(gateway);
                    return (Math.Max(0, bytesIn - then.In) / seconds, Math.Max(0, bytesOut - then.Out) / seconds);
                }
            }
        }

        return (0, 0);
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var bytes = _read();
        lock (_gate)
        {
            _samples.Enqueue((_time.GetTimestamp(), bytes));
            while (_samples.Count > Kept)
            {
                _samples.Dequeue();
            }
        }
    }
}
