namespace CloudGateway.Relay;

/// <summary>
/// A bandwidth limit shared by all of one tenant's sessions in one direction. Senders take what they just read
/// and, when that puts the bucket in debt, wait until the debt is paid at the configured rate; so the long-run
/// rate holds however many sessions share the bucket, and a burst is at most a tenth of a second's worth.
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

    private static double Capacity(long rate) => rate / 10.0;
}
