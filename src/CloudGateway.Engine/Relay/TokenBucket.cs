namespace CloudGateway.Relay;

/// <summary>
/// A bandwidth limit shared by all of one tenant's sessions in one direction. Senders take what they just read
/// and, when that puts the bucket in debt, wait until the debt is paid at the configured rate; so the long-run
/// rate holds however many sessions share the bucket, and a burst is at most a quarter of a second's worth.
/// </summary>
internal sealed class TokenBucket(TimeProvider timeProvider)
{
    private readonly object _gate = new();
    private long _rate;
    private double _tokens;
    private long _lastRefill = timeProvider.GetTimestamp();

    /// <summary>Bytes per second, 0 for no limit.</summary>
    public long Rate => Volatile.Read(ref _rate);

    public void SetRate(long bytesPerSecond)
    {
        lock (_gate)
        {
            if (bytesPerSecond != _rate)
            {
                _rate = bytesPerSecond;
                _tokens = Capacity(bytesPerSecond);
                _lastRefill = timeProvider.GetTimestamp();
            }
        }
    }

    /// <summary>Takes <paramref name="bytes"/> and returns how long the caller must wait before passing them on.</summary>
    public TimeSpan Take(int bytes)
    {
        lock (_gate)
        {
            if (_rate <= 0)
            {
                return TimeSpan.Zero;
            }

            var now = timeProvider.GetTimestamp();
            var elapsed = timeProvider.GetElapsedTime(_lastRefill, now).TotalSeconds;
            _lastRefill = now;
            _tokens = Math.Min(Capacity(_rate), _tokens + (elapsed * _rate)) - bytes;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _rate);
        }
    }

    // A quarter second of credit: enough to make up for a sender that the scheduler woke late on a busy machine
    // (with a tenth, a loaded 2-core box delivered 89% of the limit), small enough to keep bursts short.
    private static double Capacity(long rate) => rate / 4.0;
}
