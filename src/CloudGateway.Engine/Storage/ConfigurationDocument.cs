using CloudGateway.Model;

namespace CloudGateway.Storage;

/// <summary>
/// The whole configuration as one document, the unit of export and import: gateways, pools, tenants with their
/// password hashes (never passwords), and resources, with their ids. The gateways' certificate is never part of it.
/// </summary>
public sealed record ConfigurationDocument
{
    /// <summary>The document format this version writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The format of the document; only <see cref="CurrentFormatVersion"/> is read.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Every gateway; their pool membership is given by <see cref="Pools"/>.</summary>
    public IReadOnlyList<Gateway> Gateways { get; init; } = [];

    /// <summary>Every pool with its ordered member gateway names.</summary>
    public IReadOnlyList<GatewayPool> Pools { get; init; } = [];

    /// <summary>Every tenant with its password hash.</summary>
    public IReadOnlyList<TenantCredential> Tenants { get; init; } = [];

    /// <summary>Every tenant resource.</summary>
    public IReadOnlyList<TenantResource> Resources { get; init; } = [];

    /// <summary>The document holding a snapshot's configuration.</summary>
    public static ConfigurationDocument FromSnapshot(ConfigurationSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new ConfigurationDocument
        {
            Gateways = snapshot.Gateways,
            Pools = snapshot.Pools,
            Tenants = snapshot.Tenants,
            Resources = snapshot.Resources,
        };
    }
}
