using System.Net;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Client.Providers;

/// <summary>
/// What the tenant-side cmdlets do, one method each: add a provider after proving the credential and certificate
/// against a gateway, refresh its list, test each gateway, change or remove it, and build the
/// <see cref="GatewayClient"/> that tunnels and embedders use.
/// </summary>
public sealed class ProviderOperations(IProviderStore store, GatewayClientOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
{
    /// <summary>Operations with the default client options and clock, and no logging.</summary>
    /// <remarks>The cmdlets call this one: their assembly must not name the logging abstractions, which load only
    /// inside the engine's own load context.</remarks>
    public ProviderOperations(IProviderStore store)
        : this(store, null, null, null)
    {
    }

    /// <summary>The store the operations work on.</summary>
    public IProviderStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>
    /// Connects to the given gateway with a list-only hello (certificate checked before the credential is sent),
    /// and stores the provider with the gateway list it answered. Nothing is stored when that fails.
    /// </summary>
    public async Task<CloudProvider> AddAsync(ProviderRegistration registration, NetworkCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(credential);
        var provider = new CloudProvider
        {
            Name = string.IsNullOrWhiteSpace(registration.Name) ? registration.Address : registration.Name,
            Address = registration.Address,
            Port = registration.Port,
            TenantName = credential.UserName,
            CertificateThumbprint = registration.CertificateThumbprint,
        }.Validated();
        if (Store.GetProviders().Any(p => string.Equals(p.Name, provider.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"A provider named '{provider.Name}' already exists.", provider.Name);
        }

        var client = new GatewayClient(Settings(provider, credential), null, options, timeProvider, loggerFactory?.CreateLogger<GatewayClient>());
        var gateways = await client.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return Store.AddProvider(provider with { Gateways = gateways, LastRefresh = client.RefreshedAt }, credential.Password);
    }

    /// <summary>Asks the provider's gateways for the current list now and keeps it.</summary>
    public Task<CloudProvider> RefreshAsync(string name, CancellationToken cancellationToken) => RefreshAsync(name, null, cancellationToken);

    /// <summary>Refreshes like <see cref="RefreshAsync(string, CancellationToken)"/>, reporting each gateway tried (n of m).</summary>
    public async Task<CloudProvider> RefreshAsync(string name, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        await CreateClient(name).RefreshAsync(progress, cancellationToken).ConfigureAwait(false);
        return Store.GetProvider(name);
    }

    /// <summary>Tests every gateway of the provider step by step; changes nothing.</summary>
    public Task<IReadOnlyList<GatewayProbeResult>> TestAsync(string name, CancellationToken cancellationToken) => TestAsync(name, null, cancellationToken);

    /// <summary>Tests like <see cref="TestAsync(string, CancellationToken)"/>, reporting each gateway (n of m) before it is tested.</summary>
    public async Task<IReadOnlyList<GatewayProbeResult>> TestAsync(string name, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        var results = await CreateClient(name).ProbeAsync(progress, cancellationToken).ConfigureAwait(false);
        return [.. results.Select(r => r with { Provider = name })];
    }

    /// <summary>Changes a stored provider; a non-null <paramref name="credential"/> replaces tenant name and password.</summary>
    public CloudProvider Set(string name, ProviderChange change, NetworkCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Store.UpdateProvider(
            name,
            p => change.ApplyTo(credential is null ? p : p with { TenantName = credential.UserName }),
            credential?.Password);
    }

    /// <summary>Removes a stored provider.</summary>
    public void Remove(string name) => Store.RemoveProvider(name);

    /// <summary>A client for the stored provider that keeps its list and health in the store.</summary>
    public GatewayClient CreateClient(string name)
    {
        var provider = Store.GetProvider(name);
        return new GatewayClient(Settings(provider, Store.GetCredential(provider.Name)), new ProviderGatewayList(Store, provider.Name),
            options, timeProvider, loggerFactory?.CreateLogger<GatewayClient>());
    }

    private static GatewayClientSettings Settings(CloudProvider provider, NetworkCredential credential) => new()
    {
        Name = provider.Name,
        Address = provider.Address,
        Port = provider.Port,
        Credential = credential,
        CertificateThumbprint = provider.CertificateThumbprint,
        NextCertificateThumbprint = provider.NextCertificateThumbprint,
        NextCertificateLearned = provider.NextCertificateLearned,
    };
}
