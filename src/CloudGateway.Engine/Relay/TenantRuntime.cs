namespace CloudGateway.Relay;

/// <summary>One tenant's live state on this host: its session count and its two bandwidth buckets. Never shared with another tenant.</summary>
internal sealed class TenantRuntime(string name, TimeProvider timeProvider)
{
    private int _sessions;

    public string Name { get; } = name;

    /// <summary>Tenant to SP.</summary>
    public TokenBucket Upload { get; } = new(timeProvider);

    /// <summary>SP to tenant.</summary>
    public TokenBucket Download { get; } = new(timeProvider);

    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Counts one more session unless that would exceed <paramref name="max"/> (0 for no limit).</summary>
    public bool TryAddSession(int max)
    {
        var count = Interlocked.Increment(ref _sessions);
        if (max > 0 && count > max)
        {
            Interlocked.Decrement(ref _sessions);
            return false;
        }

        return true;
    }

    public void RemoveSession() => Interlocked.Decrement(ref _sessions);
}
