using Microsoft.Extensions.Logging;

namespace CloudGateway.Resumable;

/// <summary>The relay's log events for resumable sessions (ids 110-119); session ids as 32 hex digits, as in events 100 and 101.</summary>
internal static partial class ResumableLog
{
    [LoggerMessage(110, LogLevel.Information, "Resumable session {SessionId} of tenant {Tenant} lost its connection; its resource connection is kept for {GracePeriod}")]
    public static partial void Detached(ILogger logger, string sessionId, string tenant, TimeSpan gracePeriod);

    [LoggerMessage(111, LogLevel.Information, "Resumable session {SessionId} of tenant {Tenant} resumed after {Detached}: the tenant replays from {TenantReplaysFrom}, the gateway from {GatewayReplaysFrom}")]
    public static partial void Resumed(ILogger logger, string sessionId, string tenant, TimeSpan detached, long gatewayReplaysFrom, long tenantReplaysFrom);

    [LoggerMessage(112, LogLevel.Information, "Resumable session {SessionId} of tenant {Tenant} ended ({Reason})")]
    public static partial void Ended(ILogger logger, string sessionId, string tenant, string reason);

    [LoggerMessage(113, LogLevel.Warning, "Refused {Reason} for tenant {Tenant} on gateway {Gateway} from {Remote}: the resume token matches no session this gateway keeps for the tenant")]
    public static partial void ResumeRefused(ILogger logger, string reason, string tenant, string gateway, System.Net.EndPoint? remote);

    [LoggerMessage(114, LogLevel.Warning, "Refused gateway-busy for a resumable session of tenant {Tenant} on gateway {Gateway} from {Remote}: its resumable sessions hold {Reserved} bytes of the {Cap} allowed")]
    public static partial void MemoryCapReached(ILogger logger, string tenant, string gateway, System.Net.EndPoint? remote, long reserved, long cap);

    [LoggerMessage(115, LogLevel.Warning, "Refused a resume of session {SessionId} of tenant {Tenant} on gateway {Gateway} from {Remote}: {Problem}; the session goes on waiting")]
    public static partial void ResumeOffsetRefused(ILogger logger, string sessionId, string tenant, string gateway, System.Net.EndPoint? remote, string problem);
}
