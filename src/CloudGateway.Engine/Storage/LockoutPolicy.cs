namespace CloudGateway.Storage;

/// <summary>
/// When wrong passwords lock a source out of a tenant, and when they lock the whole tenant. A source (an IPv4
/// address or IPv6 /64) with <see cref="SourceThreshold"/> wrong passwords for a tenant within <see cref="Window"/>
/// is locked out of that tenant for <see cref="Duration"/>. The tenant itself is locked for <see cref="Duration"/>
/// only when <see cref="Threshold"/> wrong passwords within the window came from at least <see cref="Sources"/>
/// different sources; even then a source that logged on as the tenant within <see cref="TrustDuration"/> stays admitted.
/// </summary>
public sealed record LockoutPolicy(int Threshold, TimeSpan Window, TimeSpan Duration)
{
    /// <summary>How many different sources the tenant-wide <see cref="Threshold"/> failures must come from; 10 by default.</summary>
    public int Sources { get; init; } = 10;

    /// <summary>How many wrong passwords from one source lock that source out of the tenant; 5 by default.</summary>
    public int SourceThreshold { get; init; } = 5;

    /// <summary>How long after its last successful logon a source stays admitted through a tenant-wide lock; 30 days by default.</summary>
    public TimeSpan TrustDuration { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// 5 failures from one source within 15 minutes lock that source out for 15 minutes; 50 failures from 10 sources
    /// lock the tenant for 15 minutes, except for sources that logged on as it within 30 days.
    /// </summary>
    public static LockoutPolicy Default { get; } = new(50, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15));

    /// <summary>Whether a tenant with <paramref name="failures"/> failures from <paramref name="sources"/> sources within the window is locked.</summary>
    public bool LocksTenant(int failures, int sources) => failures >= Threshold && sources >= Sources;
}
