using System.Net;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Relay;

/// <summary>
/// The relay's structured log and audit events. Event ids are stable: 1-99 host life, 100-199 sessions,
/// 200-299 refusals (the audit trail, one event per reason, the real reason even when the tenant was told
/// invalid-credentials). Passwords are never logged.
/// </summary>
internal static partial class RelayLog
{
    [LoggerMessage(1, LogLevel.Information, "Relay host started on server {Server} with {Listeners} listener(s), configuration {Location}")]
    public static partial void HostStarted(ILogger logger, string server, int listeners, string location);

    [LoggerMessage(2, LogLevel.Information, "Relay host draining {Sessions} session(s) for up to {DrainTimeout}")]
    public static partial void HostDraining(ILogger logger, int sessions, TimeSpan drainTimeout);

    [LoggerMessage(3, LogLevel.Information, "Relay host stopped; {Closed} session(s) closed at the drain timeout")]
    public static partial void HostStopped(ILogger logger, int closed);

    [LoggerMessage(4, LogLevel.Information, "Relay engine: {Engine}")]
    public static partial void EngineSelected(ILogger logger, RelayEngine engine);

    [LoggerMessage(5, LogLevel.Warning, "The native relay engine cannot run here ({Problem}); the managed engine relays instead")]
    public static partial void NativeEngineUnavailable(ILogger logger, string problem);

    [LoggerMessage(6, LogLevel.Information, "Metrics served at http://{EndPoint}/metrics, the status page at /status (token required: {TokenRequired})")]
    public static partial void MetricsListening(ILogger logger, EndPoint endPoint, bool tokenRequired);

    [LoggerMessage(10, LogLevel.Information, "Gateway {Gateway} listening on {EndPoint}")]
    public static partial void ListenerStarted(ILogger logger, string gateway, EndPoint endPoint);

    [LoggerMessage(11, LogLevel.Information, "Gateway {Gateway} stopped accepting; {Sessions} session(s) drain until {DrainTimeout} from now")]
    public static partial void ListenerStopped(ILogger logger, string gateway, int sessions, TimeSpan drainTimeout);

    [LoggerMessage(12, LogLevel.Error, "Gateway {Gateway} could not listen on {EndPoint}: {Error}")]
    public static partial void ListenerFailed(ILogger logger, string gateway, string endPoint, string error);

    [LoggerMessage(20, LogLevel.Information, "Configuration {ChangeCounter} applied")]
    public static partial void ConfigurationApplied(ILogger logger, long changeCounter);

    [LoggerMessage(21, LogLevel.Warning, "Configuration store unavailable; serving the last configuration ({ChangeCounter}) and retrying")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception, long changeCounter);

    [LoggerMessage(22, LogLevel.Information, "Configuration store reachable again")]
    public static partial void StoreRecovered(ILogger logger);

    [LoggerMessage(23, LogLevel.Information, "Gateway certificate switched from {Previous} to {Thumbprint}: new handshakes present it; live sessions keep theirs")]
    public static partial void CertificateSwitched(ILogger logger, string previous, string thumbprint);

    [LoggerMessage(24, LogLevel.Error, "The configuration names gateway certificate {Thumbprint}, which could not be loaded; still presenting {Presented}")]
    public static partial void CertificateNotLoaded(ILogger logger, Exception exception, string thumbprint, string presented);

    [LoggerMessage(25, LogLevel.Error, "Could not record that tenant {Tenant} learned the successor certificate {Thumbprint}")]
    public static partial void CertificatePinNotRecorded(ILogger logger, Exception exception, string tenant, string thumbprint);

    [LoggerMessage(26, LogLevel.Warning, "Gateway certificate {Thumbprint} expires on {NotAfter}: staged the self-signed successor {Successor}; tenants learn it on their next connection")]
    public static partial void CertificateRenewalStaged(ILogger logger, string thumbprint, DateTimeOffset notAfter, string successor);

    [LoggerMessage(27, LogLevel.Warning, "Gateway certificate {Thumbprint} expires on {NotAfter} and was not made by New-CloudGatewayCertificate, so it is never replaced automatically: stage its successor with Set-CloudGatewayCertificate -Next")]
    public static partial void ImportedCertificateExpiring(ILogger logger, string thumbprint, DateTimeOffset notAfter);

    [LoggerMessage(28, LogLevel.Warning, "Gateway certificate {Thumbprint} expires on {NotAfter}, within {AutoSwitchDays} days: switched to the successor {Successor}, which {Learned} of {Tenants} tenant(s) learned")]
    public static partial void CertificateSwitchedAutomatically(ILogger logger, string thumbprint, DateTimeOffset notAfter, int autoSwitchDays, string successor, int learned, int tenants);

    [LoggerMessage(29, LogLevel.Error, "Could not renew or switch gateway certificate {Thumbprint}; trying again in a minute")]
    public static partial void CertificateRenewalFailed(ILogger logger, Exception exception, string thumbprint);

    [LoggerMessage(100, LogLevel.Information, "Session {SessionId} accepted: tenant {Tenant}, resource {Resource}, gateway {Gateway}, from {Remote}")]
    public static partial void SessionAccepted(ILogger logger, string sessionId, string tenant, string resource, string gateway, EndPoint? remote);

    [LoggerMessage(101, LogLevel.Information, "Session {SessionId} closed ({Reason}): {BytesUp} bytes up, {BytesDown} bytes down")]
    public static partial void SessionClosed(ILogger logger, string sessionId, string reason, long bytesUp, long bytesDown);

    [LoggerMessage(102, LogLevel.Information, "Gateway list sent to tenant {Tenant} on gateway {Gateway}, from {Remote}")]
    public static partial void GatewayListSent(ILogger logger, string tenant, string gateway, EndPoint? remote);

    [LoggerMessage(103, LogLevel.Warning, "Gateway {Gateway} holds {Limit} connections; a connection from {Remote} was closed before TLS")]
    public static partial void GatewayFull(ILogger logger, string gateway, int limit, EndPoint? remote);

    [LoggerMessage(104, LogLevel.Debug, "Connection from {Remote} on gateway {Gateway} closed before admission: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, EndPoint? remote, string gateway, string reason);

    [LoggerMessage(105, LogLevel.Information, "Closing {Count} session(s) of tenant {Tenant}: {Reason}")]
    public static partial void TenantSessionsClosed(ILogger logger, int count, string tenant, string reason);

    [LoggerMessage(106, LogLevel.Error, "Connection from {Remote} on gateway {Gateway} failed unexpectedly")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, EndPoint? remote, string gateway);

    [LoggerMessage(107, LogLevel.Error, "A relay event loop caught an unexpected failure; its other connections go on")]
    public static partial void EventLoopFault(ILogger logger, Exception exception);

    [LoggerMessage(200, LogLevel.Warning, "Refused bad-request on gateway {Gateway} from {Remote}: {Problem}")]
    public static partial void RefusedBadRequest(ILogger logger, string gateway, EndPoint? remote, string problem);

    [LoggerMessage(201, LogLevel.Warning, "Refused unsupported-version {Version} on gateway {Gateway} from {Remote}")]
    public static partial void RefusedUnsupportedVersion(ILogger logger, int version, string gateway, EndPoint? remote);

    [LoggerMessage(202, LogLevel.Warning, "Refused invalid-credentials (unknown tenant {Tenant}) on gateway {Gateway} from {Remote}")]
    public static partial void RefusedUnknownTenant(ILogger logger, string tenant, string gateway, EndPoint? remote);

    [LoggerMessage(203, LogLevel.Warning, "Refused invalid-credentials (wrong password, {FailedLogons} failed logon(s)) for tenant {Tenant} on gateway {Gateway} from {Remote}")]
    public static partial void RefusedWrongPassword(ILogger logger, string tenant, int failedLogons, string gateway, EndPoint? remote);

    [LoggerMessage(204, LogLevel.Warning, "Refused tenant-disabled for tenant {Tenant} on gateway {Gateway} from {Remote}")]
    public static partial void RefusedTenantDisabled(ILogger logger, string tenant, string gateway, EndPoint? remote);

    [LoggerMessage(205, LogLevel.Warning, "Refused lease-expired for tenant {Tenant} (lease ended {LeaseExpiration}) on gateway {Gateway} from {Remote}")]
    public static partial void RefusedLeaseExpired(ILogger logger, string tenant, DateTimeOffset? leaseExpiration, string gateway, EndPoint? remote);

    [LoggerMessage(206, LogLevel.Warning, "Refused tenant-locked for tenant {Tenant} (locked until {LockedUntil}) on gateway {Gateway} from {Remote}")]
    public static partial void RefusedTenantLocked(ILogger logger, string tenant, DateTimeOffset? lockedUntil, string gateway, EndPoint? remote);

    [LoggerMessage(207, LogLevel.Warning, "Tenant {Tenant} locked until {LockedUntil} for every source that has not logged on as it recently, after {FailedLogons} failed logons from {Sources} or more sources")]
    public static partial void TenantLockedOut(ILogger logger, string tenant, DateTimeOffset? lockedUntil, int failedLogons, int sources);

    [LoggerMessage(208, LogLevel.Warning, "Refused gateway-not-allowed for tenant {Tenant} on gateway {Gateway} from {Remote}")]
    public static partial void RefusedGatewayNotAllowed(ILogger logger, string tenant, string gateway, EndPoint? remote);

    [LoggerMessage(209, LogLevel.Warning, "Refused resource-not-found for tenant {Tenant}, resource {Resource}, on gateway {Gateway} from {Remote}")]
    public static partial void RefusedResourceNotFound(ILogger logger, string tenant, string resource, string gateway, EndPoint? remote);

    [LoggerMessage(210, LogLevel.Warning, "Refused session-limit for tenant {Tenant} ({Limit} sessions) on gateway {Gateway} from {Remote}")]
    public static partial void RefusedSessionLimit(ILogger logger, string tenant, int limit, string gateway, EndPoint? remote);

    [LoggerMessage(211, LogLevel.Warning, "Refused gateway-busy for tenant {Tenant} on gateway {Gateway} from {Remote}: the gateway is draining")]
    public static partial void RefusedGatewayBusy(ILogger logger, string tenant, string gateway, EndPoint? remote);

    [LoggerMessage(212, LogLevel.Warning, "Refused resource-unavailable for tenant {Tenant}, resource {Resource} at {Target}, on gateway {Gateway}: {Error}")]
    public static partial void RefusedResourceUnavailable(ILogger logger, string tenant, string resource, string target, string gateway, string error);

    [LoggerMessage(213, LogLevel.Error, "Could not record the failed logon of tenant {Tenant}")]
    public static partial void FailedLogonNotRecorded(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(214, LogLevel.Warning, "Refused gateway-busy for tenant {Tenant} on gateway {Gateway} from {Remote}: every password check slot is taken; not counted as a failed logon")]
    public static partial void RefusedPasswordChecksBusy(ILogger logger, string tenant, string gateway, EndPoint? remote);

    [LoggerMessage(215, LogLevel.Warning, "Refused gateway-busy for tenant {Tenant} on gateway {Gateway} from {Remote}: the source is throttled until {Until} after too many refused passwords")]
    public static partial void RefusedSourceThrottled(ILogger logger, string tenant, string gateway, EndPoint? remote, DateTimeOffset until);

    [LoggerMessage(216, LogLevel.Warning, "Source {Remote} throttled until {Until} after too many refused passwords")]
    public static partial void SourceThrottled(ILogger logger, EndPoint? remote, DateTimeOffset until);

    [LoggerMessage(217, LogLevel.Warning, "Source {Remote} locked out of tenant {Tenant} until {Until} after {FailedLogons} wrong passwords")]
    public static partial void SourceLockedOut(ILogger logger, EndPoint? remote, string tenant, DateTimeOffset until, int failedLogons);

    [LoggerMessage(218, LogLevel.Warning, "Refused tenant-locked for tenant {Tenant} on gateway {Gateway} from {Remote}: this source is locked out of the tenant until {Until}; the password was not checked")]
    public static partial void RefusedSourceLocked(ILogger logger, string tenant, DateTimeOffset until, string gateway, EndPoint? remote);
}
