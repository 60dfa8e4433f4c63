namespace CloudGateway;

/// <summary>
/// Every failure the engine reports. The cmdlet layer maps each code to one PowerShell ErrorId and
/// ErrorCategory, so a code, once released, keeps its name.
/// </summary>
public enum GatewayErrorCode
{
    /// <summary>One or more fields of an object are invalid; the exception lists every problem.</summary>
    ValidationFailed,
    /// <summary>The named object does not exist.</summary>
    NotFound,
    /// <summary>An object with that name already exists.</summary>
    DuplicateName,
    /// <summary>A gateway is already a member of another pool.</summary>
    GatewayInAnotherPool,
    /// <summary>Pooling the last standalone gateway while a tenant relies on standalone gateways.</summary>
    LastStandaloneGateway,
    /// <summary>A tenant was given a pool that does not exist.</summary>
    PoolNotFound,
    /// <summary>A pool that tenants still use was to be removed.</summary>
    PoolInUse,
    /// <summary>The file exists but is not a CloudGateway database.</summary>
    NotAConfigurationDatabase,
    /// <summary>The database is damaged.</summary>
    DatabaseCorrupt,
    /// <summary>The database was written by a newer version of CloudGateway.</summary>
    SchemaTooNew,
    /// <summary>The database could not be reached or written.</summary>
    StoreUnavailable,
    /// <summary>A configuration document could not be read.</summary>
    InvalidConfigurationDocument,
    /// <summary>A certificate is missing, unreadable or unsuitable.</summary>
    CertificateError,
    /// <summary>A relay host could not start, or is not in a state that allows the request.</summary>
    RelayError,
    /// <summary>A gateway refused the tenant; the message carries the reason code.</summary>
    Refused,
    /// <summary>No gateway could be reached.</summary>
    NoGatewayAvailable,
    /// <summary>A gateway's certificate did not match the pinned thumbprint or the trust store.</summary>
    CertificateMismatch,
    /// <summary>A wire-protocol rule was broken by the peer.</summary>
    ProtocolViolation,
    /// <summary>An operating-system operation (network namespace, bridge, firewall) failed.</summary>
    SystemCommandFailed,
    /// <summary>The operation needs privileges this process does not have.</summary>
    InsufficientPrivilege,
    /// <summary>The operation is not supported on this platform.</summary>
    PlatformNotSupported,
    /// <summary>A hardware plan that tenants subscribe to was to be removed.</summary>
    HardwarePlanInUse,
    /// <summary>The host or network namespace already runs another tenant's appliance, or holds a bridge the appliance did not create.</summary>
    ApplianceInUse,
    /// <summary>A gateway certificate is already set and replacing it was not forced.</summary>
    CertificateExists,
    /// <summary>A service registration already exists and replacing it was not forced.</summary>
    ServiceExists,
    /// <summary>An object to merge has the id of a stored object under another name: one of them was renamed.</summary>
    NameMismatch,
}
