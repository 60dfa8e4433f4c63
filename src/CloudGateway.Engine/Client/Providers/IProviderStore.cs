using System.Net;

namespace CloudGateway.Client.Providers;

/// <summary>
/// The providers this machine connects to as a tenant, kept in the configuration database in their own tables.
/// Names compare without regard to case; failures are <see cref="GatewayException"/>s; each change is atomic.
/// </summary>
public interface IProviderStore : IDisposable
{
    /// <summary>Where the providers are kept: the full path of the database file, or a PostgreSQL connection string without its passwords.</summary>
    string Location { get; }

    /// <summary>All providers, ordered by name.</summary>
    IReadOnlyList<CloudProvider> GetProviders();

    /// <summary>The named provider; NotFound when there is none.</summary>
    CloudProvider GetProvider(string name);

    /// <summary>Adds a provider with its password (stored encrypted); DuplicateName when the name is taken.</summary>
    CloudProvider AddProvider(CloudProvider provider, string password);

    /// <summary>
    /// Reads the named provider, applies <paramref name="change"/> and stores the result atomically; a non-null
    /// <paramref name="password"/> replaces the stored one.
    /// </summary>
    CloudProvider UpdateProvider(string name, Func<CloudProvider, CloudProvider> change, string? password = null);

    /// <summary>Removes a provider and its gateway list; NotFound when there is none.</summary>
    void RemoveProvider(string name);

    /// <summary>The tenant credential to log on with, decrypted. For connecting only: never written to output.</summary>
    NetworkCredential GetCredential(string name);

    /// <summary>Replaces the provider's gateway list after an accepted answer.</summary>
    void SaveGatewayList(string name, IReadOnlyList<KnownGateway> gateways, DateTimeOffset refreshedAt);

    /// <summary>Records one gateway's health; ignored when the gateway is no longer on the list.</summary>
    void SaveGatewayHealth(string name, string gatewayName, GatewayHealth health);

    /// <summary>Replaces the provider's pin and second pin with what an accepted connection taught; Modified stays.</summary>
    void SaveCertificatePins(string name, CertificatePins pins);
}
