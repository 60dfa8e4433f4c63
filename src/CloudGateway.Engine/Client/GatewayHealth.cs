namespace CloudGateway.Client;

/// <summary>
/// What the tenant knows about one gateway's recent behaviour: consecutive failures, the last error, and until
/// when it is set aside. A gateway in cool-down is still tried, after every other, when nothing else works.
/// </summary>
public sealed record GatewayHealth
{
    /// <summary>A gateway nothing is known against.</summary>
    public static GatewayHealth Unknown { get; } = new();

    /// <summary>Failures since the last success.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>When the last failure happened, or null.</summary>
    public DateTimeOffset? LastFailure { get; init; }

    /// <summary>Why the last attempt failed, or null; never contains a credential.</summary>
    public string? LastError { get; init; }

    /// <summary>When the last successful connection was made, or null.</summary>
    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>Until when the gateway is set aside, or null.</summary>
    public DateTimeOffset? CoolDownUntil { get; init; }

    /// <summary>Whether the gateway is tried in its turn at <paramref name="now"/> (not set aside).</summary>
    public bool IsAvailable(DateTimeOffset now) => CoolDownUntil is null || now >= CoolDownUntil;

    /// <summary>The health after a failure at <paramref name="now"/>; starts a cool-down once the threshold is reached.</summary>
    public GatewayHealth AfterFailure(DateTimeOffset now, string error, GatewayClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = ConsecutiveFailures + 1;
        return this with
        {
            ConsecutiveFailures = failures,
            LastFailure = now,
            LastError = error,
            CoolDownUntil = failures >= options.FailureThreshold ? now + options.CoolDown : CoolDownUntil,
        };
    }

    /// <summary>The health after a successful connection at <paramref name="now"/>.</summary>
    public GatewayHealth AfterSuccess(DateTimeOffset now) =>
        this with { ConsecutiveFailures = 0, CoolDownUntil = null, LastSuccess = now };
}
