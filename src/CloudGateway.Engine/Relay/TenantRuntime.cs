namespace CloudGateway.Relay;

/// <summary>
/// One tenant's live state on this host: its session count and its two bandwidth buckets. Never shared with another
/// tenant. It belongs to the tenant's id, so a renamed tenant keeps its sessions, limits and figures under its new name.
/// </summary>
internal sealed class TenantRuntime(Guid id, string name, TimeProvider timeProvider)
{
    private int _sessions;
    private long _endedBytesIn;
    private long _endedBytesOut;
    private string _name = name;

    public Guid Id { get; } = id;

    /// <summary>The tenant's name as the configuration last gave it.</summary>
    public string Name
    {
        get => Volatile.Read(ref _name);
        set => Volatile.Write(ref _name, value);
    }

    /// <summary>Tenant to SP.</summary>
    public TokenBucket Upload { get; } = new(timeProvider);

    /// <summary>SP to tenant.</summary>
    public TokenBucket Download { get; } = new(timeProvider);

    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>How many gateway servers currently serve this tenant; each enforces that share of its bandwidth.</summary>
    public int ServerShare { get; set; } = 1;

    /// <summary>Sets both buckets to this host's share of the tenant's limits (0 stays unlimited).</summary>
    public void ApplyLimits(Model.Tenant tenant)
    {
        Upload.SetRate(Share(tenant.UploadBandwidth));
        Download.SetRate(Share(tenant.DownloadBandwidth));
    }

    private long Share(long limit) => limit <= 0 ? 0 : Math.Max(1, limit / Math.Max(1, ServerShare));

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

    /// <summary>Bytes of the tenant's ended sessions on this host, in (tenant to resource) and out; live sessions count their own.</summary>
    public (long In, long Out) EndedBytes => (Interlocked.Read(ref _endedBytesIn), Interlocked.Read(ref _endedBytesOut));

    /// <summary>Adds an ended session's bytes to <see cref="EndedBytes"/>.</summary>
    public void AddEndedBytes(long bytesIn, long bytesOut)
    {
        Interlocked.Add(ref _endedBytesIn, bytesIn);
        Interlocked.Add(ref _endedBytesOut, bytesOut);
    }
}
