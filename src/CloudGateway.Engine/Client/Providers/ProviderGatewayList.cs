namespace CloudGateway.Client.Providers;

/// <summary>Keeps a <see cref="GatewayClient"/>'s list and the certificate pins it learns in the provider store, under one provider.</summary>
public sealed class ProviderGatewayList(IProviderStore store, string providerName) : IGatewayListStore, ICertificatePinStore
{
    /// <inheritdoc />
    public (IReadOnlyList<KnownGateway> Gateways, DateTimeOffset? RefreshedAt) Load()
    {
        var provider = store.GetProvider(providerName);
        return (provider.Gateways, provider.LastRefresh);
    }

    /// <inheritdoc />
    public void SaveList(IReadOnlyList<KnownGateway> gateways, DateTimeOffset refreshedAt) => store.SaveGatewayList(providerName, gateways, refreshedAt);

    /// <inheritdoc />
    public void SaveHealth(string gatewayName, GatewayHealth health) => store.SaveGatewayHealth(providerName, gatewayName, health);

    /// <inheritdoc />
    public CertificatePins LoadPins()
    {
        var provider = store.GetProvider(providerName);
        return new CertificatePins(provider.CertificateThumbprint, provider.NextCertificateThumbprint, provider.NextCertificateLearned);
    }

    /// <inheritdoc />
    public void SavePins(CertificatePins pins) => store.SaveCertificatePins(providerName, pins);
}
