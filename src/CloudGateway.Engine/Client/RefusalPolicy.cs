using CloudGateway.Protocol;

namespace CloudGateway.Client;

/// <summary>
/// Which refusals concern only the gateway that gave them (try the next one) and which concern the tenant or the
/// request everywhere (stop: trying every gateway with a wrong password would only count towards a lockout).
/// </summary>
internal static class RefusalPolicy
{
    /// <summary>Whether another gateway may well accept what this one refused.</summary>
    public static bool IsPerGateway(string reason) => reason is RefusalReason.GatewayNotAllowed
        or RefusalReason.GatewayBusy or RefusalReason.ResourceUnavailable or RefusalReason.UnsupportedVersion;

    /// <summary>Whether the refusal says the gateway itself is unfit (counts against its health); resource-unavailable does not.</summary>
    public static bool CountsAgainstGateway(string reason) => reason is RefusalReason.GatewayNotAllowed
        or RefusalReason.GatewayBusy or RefusalReason.UnsupportedVersion;
}
