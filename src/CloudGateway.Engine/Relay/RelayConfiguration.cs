using CloudGateway.Model;
using CloudGateway.Protocol;
using CloudGateway.Storage;

namespace CloudGateway.Relay;

/// <summary>A configuration snapshot indexed for admission: lookups by name, ignoring case, in constant time.</summary>
internal sealed class RelayConfiguration
{
    private readonly Dictionary<string, TenantCredential> _tenants;
    private readonly Dictionary<string, Dictionary<string, TenantResource>> _resources;
    private readonly Dictionary<string, Gateway> _gateways;
    private readonly Dictionary<string, GatewayPool> _pools;

    public RelayConfiguration(ConfigurationSnapshot snapshot)
    {
        Snapshot = snapshot;
        _tenants = snapshot.Tenants.ToDictionary(t => t.Tenant.Name, StringComparer.OrdinalIgnoreCase);
        _gateways = snapshot.Gateways.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        _pools = snapshot.Pools.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _resources = snapshot.Resources
            .GroupBy(r => r.Tenant, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Standalone = snapshot.Gateways.Where(g => g.Pool is null && !IsPoolMember(g.Name)).ToList();
    }

    public ConfigurationSnapshot Snapshot { get; }

    public long ChangeCounter => Snapshot.ChangeCounter;

    /// <summary>Gateways in no pool, in the store's order (by name).</summary>
    public IReadOnlyList<Gateway> Standalone { get; }

    public TenantCredential? FindTenant(string name) => _tenants.GetValueOrDefault(name);

    public Gateway? FindGateway(string name) => _gateways.GetValueOrDefault(name);

    public TenantResource? FindResource(string tenant, string name) =>
        _resources.TryGetValue(tenant, out var byName) ? byName.GetValueOrDefault(name) : null;

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

    private bool IsPoolMember(string gateway) =>
        Snapshot.Pools.Any(p => p.Members.Contains(gateway, StringComparer.OrdinalIgnoreCase));
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
