namespace CloudGateway.Client;

/// <summary>
/// Where a <see cref="GatewayClient"/> keeps its gateway list and their health between runs, so a restart begins
/// from the last list. The provider store implements it per provider; embedders may supply their own.
/// </summary>
public interface IGatewayListStore
{
    /// <summary>The last list kept (empty before the first connection) and when it was refreshed.</summary>
    (IReadOnlyList<KnownGateway> Gateways, DateTimeOffset? RefreshedAt) Load();

    /// <summary>Replaces the list (with each gateway's health) after an accepted answer.</summary>
    void SaveList(IReadOnlyList<KnownGateway> gateways, DateTimeOffset refreshedAt);

    /// <summary>Records one gateway's new health; a gateway no longer on the list is ignored.</summary>
    void SaveHealth(string gatewayName, GatewayHealth health);
}
