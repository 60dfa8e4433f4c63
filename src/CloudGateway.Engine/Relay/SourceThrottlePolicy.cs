namespace CloudGateway.Relay;

/// <summary>
/// How many refused password attempts within <see cref="Window"/> make a relay host refuse one source address
/// with gateway-busy for <see cref="Cooldown"/>, and how many source addresses it tracks at most (the least
/// recently refused are forgotten first). IPv6 sources are counted per /64 prefix.
/// </summary>
public sealed record SourceThrottlePolicy(int Threshold, TimeSpan Window, TimeSpan Cooldown, int MaxSources)
{
    /// <summary>20 refused attempts within a minute refuse the source for a minute; up to 10,000 sources tracked.</summary>
    public static SourceThrottlePolicy Default { get; } = new(20, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), 10_000);
}
