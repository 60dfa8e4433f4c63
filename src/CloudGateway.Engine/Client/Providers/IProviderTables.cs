namespace CloudGateway.Client.Providers;

/// <summary>
/// The provider tables of one backend, inside one of its transactions: plain reads and writes, no rules. Names are
/// matched without regard to case; providers come ordered by name, each with its gateway list in order.
/// </summary>
internal interface IProviderTables
{
    /// <summary>Every provider with its gateways, or only the named one (none when it does not exist).</summary>
    List<CloudProvider> ReadProviders(string? name);

    /// <summary>The named provider's id, tenant name and encrypted password, or null when there is none.</summary>
    (Guid Id, string TenantName, byte[] ProtectedPassword)? ReadCredential(string name);

    /// <summary>Stores a new provider row with its encrypted password (its gateways are written apart).</summary>
    void InsertProvider(CloudProvider provider, byte[] protectedPassword);

    /// <summary>Replaces the row with the provider's id; the password only when <paramref name="protectedPassword"/> is given.</summary>
    void UpdateProvider(CloudProvider provider, byte[]? protectedPassword);

    /// <summary>Deletes the named provider and its gateways; returns how many providers there were.</summary>
    int DeleteProvider(string name);

    /// <summary>Sets when the provider's gateway list was last received.</summary>
    void WriteLastRefresh(Guid providerId, DateTimeOffset refreshedAt);

    /// <summary>Replaces the provider's gateway list, keeping the given order.</summary>
    void WriteGateways(Guid providerId, IReadOnlyList<KnownGateway> gateways);

    /// <summary>Records one gateway's health; returns how many rows matched (none when the gateway or provider is gone).</summary>
    int WriteGatewayHealth(string name, string gatewayName, GatewayHealth health);

    /// <summary>Replaces the named provider's pin, second pin and when it was learned; returns how many providers matched.</summary>
    int WritePins(string name, CertificatePins pins);
}
