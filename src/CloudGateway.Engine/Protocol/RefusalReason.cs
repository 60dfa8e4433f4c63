namespace CloudGateway.Protocol;

/// <summary>The stable reason codes a gateway refuses a hello with. Documented in docs/protocol.md; never renamed.</summary>
public static class RefusalReason
{
    /// <summary>The hello was malformed.</summary>
    public const string BadRequest = "bad-request";
    /// <summary>The tenant speaks a protocol version the gateway does not.</summary>
    public const string UnsupportedVersion = "unsupported-version";
    /// <summary>Unknown tenant or wrong password; the two are indistinguishable.</summary>
    public const string InvalidCredentials = "invalid-credentials";
    /// <summary>The tenant is disabled.</summary>
    public const string TenantDisabled = "tenant-disabled";
    /// <summary>The tenant's lease has expired.</summary>
    public const string LeaseExpired = "lease-expired";
    /// <summary>Too many failed logons; the tenant is locked for a while.</summary>
    public const string TenantLocked = "tenant-locked";
    /// <summary>This gateway is not one the tenant may use.</summary>
    public const string GatewayNotAllowed = "gateway-not-allowed";
    /// <summary>The tenant has no resource of that name.</summary>
    public const string ResourceNotFound = "resource-not-found";
    /// <summary>The tenant already holds its maximum number of sessions.</summary>
    public const string SessionLimit = "session-limit";
    /// <summary>The gateway is draining, every password check slot is taken, or the source address is held off after too many refused passwords.</summary>
    public const string GatewayBusy = "gateway-busy";
    /// <summary>The resource could not be reached from the gateway.</summary>
    public const string ResourceUnavailable = "resource-unavailable";
    /// <summary>A resume names no session this gateway keeps for the tenant (never started here, ended, or another tenant's).</summary>
    public const string UnknownSession = "unknown-session";
    /// <summary>A resume came after the session's grace period: the gateway closed its resource connection.</summary>
    public const string SessionExpired = "session-expired";
}
