using Microsoft.Extensions.Logging;

namespace CloudGateway.Client;

/// <summary>The tenant side's log events, with stable ids (300 and up) beside the relay's.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(300, LogLevel.Information, "Connected through gateway {Gateway} ({Endpoint}) of {Provider}, session {SessionId}")]
    public static partial void Connected(ILogger logger, string gateway, string endpoint, string provider, string? sessionId);

    [LoggerMessage(301, LogLevel.Warning, "Gateway {Gateway} ({Endpoint}) of {Provider} failed: {Failure}")]
    public static partial void GatewayFailed(ILogger logger, string gateway, string endpoint, string provider, string failure);

    [LoggerMessage(302, LogLevel.Warning, "Failed over to gateway {Gateway} of {Provider} after {Failed} gateway(s) failed: {FailedGateways}")]
    public static partial void FailedOver(ILogger logger, string gateway, string provider, int failed, string failedGateways);

    [LoggerMessage(303, LogLevel.Information, "The gateways of {Provider} announced a certificate change: now accepting {Thumbprint} and {NextThumbprint}")]
    public static partial void PinsLearned(ILogger logger, string provider, string? thumbprint, string? nextThumbprint);

    [LoggerMessage(304, LogLevel.Warning, "The stored certificate pins of {Provider} could not be read; the ones in memory are used: {Reason}")]
    public static partial void PinsNotRead(ILogger logger, string provider, string reason);

    [LoggerMessage(305, LogLevel.Warning, "Resumable session {SessionId} to {Resource} of {Provider} lost its connection to gateway {Gateway}; resuming")]
    public static partial void ResumableBroken(ILogger logger, string sessionId, string resource, string provider, string gateway);

    [LoggerMessage(306, LogLevel.Information, "Resumable session {SessionId} to {Resource} of {Provider} resumed through gateway {Gateway} after {Elapsed}")]
    public static partial void ResumableResumed(ILogger logger, string sessionId, string resource, string provider, string gateway, TimeSpan elapsed);

    [LoggerMessage(307, LogLevel.Error, "Resumable session {SessionId} to {Resource} of {Provider} is lost: {Reason}")]
    public static partial void ResumableLost(ILogger logger, string sessionId, string resource, string provider, string reason);
}
