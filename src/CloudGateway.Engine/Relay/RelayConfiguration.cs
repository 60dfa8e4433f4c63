using System.Collections.Immutable;
using CloudGateway.Model;
using CloudGateway.Protocol;
using CloudGateway.Storage;

namespace CloudGateway.Relay;

/// <summary>
/// The configuration indexed for admission: lookups by name, ignoring case. Built once from a whole snapshot, then
/// brought forward by <see cref="Apply"/> with only what changed, so a reload costs the change and not the estate
/// (tenants and resources sit in immutable maps that share everything a change leaves alone).
/// </summary>
internal sealed class RelayConfiguration
{
    private static readonly ImmutableDictionary<string, TenantResource> NoResources = ImmutableDictionary.Create<string, TenantResource>(StringComparer.OrdinalIgnoreCase);

    private readonly ImmutableDictionary<string, TenantCredential> _tenants;
    private readonly ImmutableDictionary<Guid, string> _tenantNames;
    private readonly ImmutableDictionary<string, ImmutableDictionary<string, TenantResource>> _resources;
    private readonly ImmutableDictionary<Guid, (string Tenant, string Name)> _resourceNames;
    private readonly Dictionary<string, Gateway> _gateways;
    private readonly Dictionary<string, GatewayPool> _pools;

    public RelayConfiguration(ConfigurationSnapshot snapshot)
        : this(
            snapshot.ChangeCounter,
            snapshot.Gateways,
            snapshot.Pools,
            snapshot.Certificates,
            ImmutableDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, snapshot.Tenants.Select(t => KeyValuePair.Create(t.Tenant.Name, t))),
            snapshot.Tenants.ToImmutableDictionary(t => t.Tenant.Id, t => t.Tenant.Name),
            snapshot.Resources
                .GroupBy(r => r.Tenant, StringComparer.OrdinalIgnoreCase)
                .ToImmutableDictionary(g => g.Key, g => g.ToImmutableDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase),
            snapshot.Resources.ToImmutableDictionary(r => r.Id, r => (r.Tenant, r.Name)))
    {
    }

    private RelayConfiguration(
        long changeCounter,
        IReadOnlyList<Gateway> gateways,
        IReadOnlyList<GatewayPool> pools,
        CertificateState certificates,
        ImmutableDictionary<string, TenantCredential> tenants,
        ImmutableDictionary<Guid, string> tenantNames,
        ImmutableDictionary<string, ImmutableDictionary<string, TenantResource>> resources,
        ImmutableDictionary<Guid, (string Tenant, string Name)> resourceNames)
    {
        ChangeCounter = changeCounter;
        Gateways = gateways;
        Pools = pools;
        Certificates = certificates;
        _tenants = tenants;
        _tenantNames = tenantNames;
        _resources = resources;
        _resourceNames = resourceNames;
        _gateways = gateways.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        _pools = pools.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        Standalone = gateways.Where(g => g.Pool is null && !IsPoolMember(g.Name)).ToList();
    }

    /// <summary>The store's change counter this configuration was read at.</summary>
    public long ChangeCounter { get; }

    /// <summary>Every gateway, in the store's order (by name).</summary>
    public IReadOnlyList<Gateway> Gateways { get; }

    /// <summary>Every pool, in the store's order (by name).</summary>
    public IReadOnlyList<GatewayPool> Pools { get; }

    /// <summary>The gateways' certificates and what each tenant learned of the successor.</summary>
    public CertificateState Certificates { get; }

    /// <summary>Gateways in no pool, in the store's order (by name).</summary>
    public IReadOnlyList<Gateway> Standalone { get; }

    public TenantCredential? FindTenant(string name) => _tenants.GetValueOrDefault(name);

    /// <summary>The tenant with the id, whatever it is called now.</summary>
    public TenantCredential? FindTenant(Guid id) => _tenantNames.TryGetValue(id, out var name) ? _tenants.GetValueOrDefault(name) : null;

    public Gateway? FindGateway(string name) => _gateways.GetValueOrDefault(name);

    public TenantResource? FindResource(string tenant, string name) =>
        _resources.TryGetValue(tenant, out var byName) ? byName.GetValueOrDefault(name) : null;

    /// <summary>
    /// This configuration brought forward by <paramref name="changes"/>: removals first, then the tenants and resources
    /// written since (a renamed tenant's or resource's old name is dropped), gateways, pools and certificates replaced.
    /// </summary>
    public RelayConfiguration Apply(ConfigurationChanges changes)
    {
        var tenants = _tenants.ToBuilder();
        var tenantNames = _tenantNames.ToBuilder();
        var resources = _resources.ToBuilder();
        var resourceNames = _resourceNames.ToBuilder();
        foreach (var id in changes.RemovedTenants)
        {
            if (tenantNames.Remove(id, out var name))
            {
                tenants.Remove(name);
                resources.Remove(name);
            }
        }

        foreach (var id in changes.RemovedResources)
        {
            if (resourceNames.Remove(id, out var key))
            {
                RemoveResource(resources, key);
            }
        }

        // Old names go before new ones are set: a name one row gave up may be taken by another in the same change.
        foreach (var credential in changes.Tenants)
        {
            if (tenantNames.TryGetValue(credential.Tenant.Id, out var old) && !string.Equals(old, credential.Tenant.Name, StringComparison.Ordinal))
            {
                tenants.Remove(old);
                resources.Remove(old);
            }
        }

        foreach (var resource in changes.Resources)
        {
            if (resourceNames.TryGetValue(resource.Id, out var old))
            {
                RemoveResource(resources, old);
            }
        }

        foreach (var credential in changes.Tenants)
        {
            tenants[credential.Tenant.Name] = credential;
            tenantNames[credential.Tenant.Id] = credential.Tenant.Name;
        }

        foreach (var resource in changes.Resources)
        {
            resources[resource.Tenant] = resources.GetValueOrDefault(resource.Tenant, NoResources).SetItem(resource.Name, resource);
            resourceNames[resource.Id] = (resource.Tenant, resource.Name);
        }

        return new RelayConfiguration(
            changes.ChangeCounter, changes.Gateways, changes.Pools, changes.Certificates,
            tenants.ToImmutable(), tenantNames.ToImmutable(), resources.ToImmutable(), resourceNames.ToImmutable());
    }

    /// <summary>
    /// The gateways <paramref name="tenant"/> may use, in the order to try them, and whether it may connect to
    /// each right now. Pool gateways come first (pools in the tenant's order, members in the pool's order); the
    /// standalone gateways follow, as the tenant's own when it has no pools, or marked as fallback when
    /// GatewayFailover is on. Fallback gateways are listed whenever failover is on, so the tenant can keep them,
    /// but admit connections only while every gateway of the tenant's pools is disabled or down.
    /// Disabled gateways are never listed nor admitted.
    /// </summary>
    public GatewayAccess GetAccess(Tenant tenant, Func<Gateway, bool> isDown)
    {
        var entries = new List<GatewayAccess.Entry>();
        var pools = tenant.GatewaySelection == GatewaySelection.Pools ? tenant.Pools : [];
        var anyPoolGatewayUp = false;
        foreach (var poolName in pools)
        {
            if (!_pools.TryGetValue(poolName, out var pool))
            {
                continue;
            }

            foreach (var member in pool.Members)
            {
                if (_gateways.TryGetValue(member, out var gateway) && gateway.Enabled)
                {
                    entries.Add(new GatewayAccess.Entry(gateway, Fallback: false, Allowed: true));
                    anyPoolGatewayUp |= !isDown(gateway);
                }
            }
        }

        if (pools.Count == 0 || tenant.GatewayFailover)
        {
            var fallback = pools.Count > 0;
            foreach (var gateway in Standalone)
            {
                if (gateway.Enabled)
                {
                    entries.Add(new GatewayAccess.Entry(gateway, fallback, Allowed: !fallback || !anyPoolGatewayUp));
                }
            }
        }

        return new GatewayAccess(entries);
    }

    private static void RemoveResource(ImmutableDictionary<string, ImmutableDictionary<string, TenantResource>>.Builder resources, (string Tenant, string Name) key)
    {
        if (resources.TryGetValue(key.Tenant, out var byName))
        {
            var left = byName.Remove(key.Name);
            if (left.IsEmpty)
            {
                resources.Remove(key.Tenant);
            }
            else
            {
                resources[key.Tenant] = left;
            }
        }
    }

    private bool IsPoolMember(string gateway) =>
        Pools.Any(p => p.Members.Contains(gateway, StringComparer.OrdinalIgnoreCase));
}

/// <summary>The gateways one tenant may use, in order, with whether each admits the tenant now.</summary>
internal sealed class GatewayAccess(IReadOnlyList<GatewayAccess.Entry> entries)
{
    public IReadOnlyList<Entry> Entries { get; } = entries;

    public bool Allows(string gatewayName)
    {
        foreach (var entry in Entries)
        {
            if (entry.Allowed && string.Equals(entry.Gateway.Name, gatewayName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public IReadOnlyList<GatewayEndpoint> ToEndpoints() =>
        Entries.Select(e => new GatewayEndpoint(e.Gateway.Name, e.Gateway.Address, e.Gateway.Port, e.Fallback)).ToList();

    internal sealed record Entry(Gateway Gateway, bool Fallback, bool Allowed);
}
