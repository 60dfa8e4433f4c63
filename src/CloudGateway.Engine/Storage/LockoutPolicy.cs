namespace CloudGateway.Storage;

/// <summary>How many failed logons within <see cref="Window"/> lock a tenant, and for how long.</summary>
public sealed record LockoutPolicy(int Threshold, TimeSpan Window, TimeSpan Duration)
{
    /// <summary>5 failures within 15 minutes lock the tenant for 15 minutes.</summary>
    public static LockoutPolicy Default { get; } = new(5, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15));
}
