using CloudGateway.Model;
using CloudGateway.Networking;

namespace CloudGateway.Storage;

/// <summary>The four tables of the configuration, as <see cref="IConfigurationTables"/> names them.</summary>
internal enum ConfigurationTable
{
    /// <summary>Gateways.</summary>
    Gateways,

    /// <summary>Gateway pools.</summary>
    Pools,

    /// <summary>Tenants.</summary>
    Tenants,

    /// <summary>Tenant resources.</summary>
    Resources,
}

/// <summary>
/// The configuration tables of one backend, inside one of its transactions: plain reads and writes, no rules.
/// Names are matched without regard to case; lists come ordered as <see cref="IConfigurationStore"/> promises.
/// </summary>
internal interface IConfigurationTables
{
    /// <summary>The network extension tables, in the same transaction.</summary>
    INetworkExtensionTables NetworkExtension { get; }

    /// <summary>The change counter as this transaction sees it.</summary>
    long ChangeCounter();

    /// <summary>Every gateway, or only the named one, with the name of its pool.</summary>
    List<Gateway> ReadGateways(string? name);

    /// <summary>Every pool, or only the named one, with its members in order.</summary>
    List<GatewayPool> ReadPools(string? name);

    /// <summary>Every tenant, or only the named one, with its pools in order and its password hash.</summary>
    List<TenantCredential> ReadTenants(string? name);

    /// <summary>Every resource, or only the named tenant's, or only its named one.</summary>
    List<TenantResource> ReadResources(string? tenant, string? name);

    /// <summary>The tenants written after the change counter value (their row, their pools, or a pool's name).</summary>
    List<TenantCredential> ReadTenantsChangedSince(long changeCounter);

    /// <summary>The resources written after the change counter value, or whose tenant was renamed since.</summary>
    List<TenantResource> ReadResourcesChangedSince(long changeCounter);

    /// <summary>The ids of tenants and resources removed after the change counter value.</summary>
    List<(ConfigurationTable Table, Guid Id)> ReadRemovedSince(long changeCounter);

    /// <summary>Id and name of every row of the table; of resources, only the named tenant's.</summary>
    List<(Guid Id, string Name)> Names(ConfigurationTable table, string? tenant = null);

    /// <summary>Whether a row of the table has the id.</summary>
    bool IdTaken(ConfigurationTable table, Guid id);

    /// <summary>Creates or replaces the gateway's row (its pool membership stays as it is).</summary>
    void WriteGateway(Gateway gateway);

    /// <summary>Creates or replaces the pool's row and makes its members exactly <see cref="GatewayPool.Members"/>, in order.</summary>
    void WritePool(GatewayPool pool);

    /// <summary>Creates or replaces the tenant's row and makes its pools exactly <see cref="Tenant.Pools"/>, in order.</summary>
    void WriteTenant(Tenant tenant, string passwordHash);

    /// <summary>Creates or replaces the resource's row, under the tenant it names.</summary>
    void WriteResource(TenantResource resource);

    /// <summary>Deletes the row with the id, and what belongs to it (a tenant's pools and resources); a pool must be empty.</summary>
    void Delete(ConfigurationTable table, Guid id);

    /// <summary>Takes every gateway out of its pool and every pool from its tenants.</summary>
    void ClearMemberships();

    /// <summary>Deletes the rows whose ids are not in <paramref name="kept"/> and frees the names of the rest.</summary>
    void KeepOnly(ConfigurationTable table, IReadOnlyCollection<Guid> kept);

    /// <summary>The stored (sealed) certificate of the slot, or null.</summary>
    byte[]? ReadCertificate(CertificateSlot slot);

    /// <summary>Stores the (sealed) certificate of the slot with its thumbprint; a null <paramref name="pkcs12"/> empties a Next or Previous slot.</summary>
    void WriteCertificate(CertificateSlot slot, byte[]? pkcs12, string? thumbprint, DateTimeOffset now);

    /// <summary>The thumbprint of each filled slot (the active one's may be null when stored before thumbprints were kept).</summary>
    Dictionary<CertificateSlot, string?> ReadCertificateThumbprints();

    /// <summary>Every tenant's recorded successor thumbprint, by tenant name.</summary>
    List<(string Tenant, string Thumbprint)> ReadCertificatePins();

    /// <summary>Records the successor thumbprint the tenant was told, replacing what it had.</summary>
    void WriteCertificatePin(Guid tenant, string thumbprint, DateTimeOffset learned);
}
