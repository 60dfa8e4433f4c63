using CloudGateway.Model;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Relay;

/// <summary>A minimal in-memory store for relay tests until the SQLite store is merged.</summary>
internal sealed class InMemoryStore : IConfigurationStore
{
    private readonly object _gate = new();
    private readonly List<Gateway> _gateways = [];
    private readonly List<GatewayPool> _pools = [];
    private readonly Dictionary<string, (Tenant Tenant, string Hash)> _tenants = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<TenantResource> _resources = [];
    private byte[]? _certificate;
    private long _counter;

    public string Location => "memory";

    public long GetChangeCounter() { lock (_gate) { return _counter; } }

    public IReadOnlyList<Gateway> GetGateways() { lock (_gate) { return _gateways.Select(WithPool).OrderBy(g => g.Name).ToList(); } }
    public Gateway GetGateway(string name) => GetGateways().First(g => Same(g.Name, name));
    public Gateway AddGateway(Gateway gateway) => Change(() => { _gateways.Add(gateway); return gateway; });
    public Gateway UpdateGateway(string name, Func<Gateway, Gateway> change) => Change(() =>
    {
        var i = _gateways.FindIndex(g => Same(g.Name, name));
        return _gateways[i] = change(_gateways[i]);
    });
    public void RemoveGateway(string name) => Change(() => _gateways.RemoveAll(g => Same(g.Name, name)));

    public IReadOnlyList<GatewayPool> GetPools() { lock (_gate) { return _pools.OrderBy(p => p.Name).ToList(); } }
    public GatewayPool GetPool(string name) => GetPools().First(p => Same(p.Name, name));
    public GatewayPool AddPool(GatewayPool pool, bool force = false) => Change(() => { _pools.Add(pool); return pool; });
    public GatewayPool UpdatePool(string name, Func<GatewayPool, GatewayPool> change, bool force = false) => Change(() =>
    {
        var i = _pools.FindIndex(p => Same(p.Name, name));
        return _pools[i] = change(_pools[i]);
    });
    public void RemovePool(string name, bool force = false) => Change(() => _pools.RemoveAll(p => Same(p.Name, name)));

    public IReadOnlyList<Tenant> GetTenants() { lock (_gate) { return _tenants.Values.Select(t => t.Tenant).OrderBy(t => t.Name).ToList(); } }
    public Tenant GetTenant(string name) { lock (_gate) { return _tenants[name].Tenant; } }
    public Tenant AddTenant(Tenant tenant, string passwordHash) => Change(() => { _tenants[tenant.Name] = (tenant, passwordHash); return tenant; });
    public Tenant UpdateTenant(string name, Func<Tenant, Tenant> change) => Change(() =>
    {
        var (tenant, hash) = _tenants[name];
        var updated = change(tenant);
        _tenants[name] = (updated, hash);
        return updated;
    });
    public void SetTenantPassword(string name, string passwordHash) => Change(() => _tenants[name] = (_tenants[name].Tenant, passwordHash));
    public void RemoveTenant(string name) => Change(() => { _tenants.Remove(name); return _resources.RemoveAll(r => Same(r.Tenant, name)); });

    public Tenant RecordFailedLogon(string name, DateTimeOffset at, LockoutPolicy policy) => UpdateTenant(name, t =>
    {
        var count = t.LastFailedLogon is { } last && at - last <= policy.Window ? t.FailedLogonCount + 1 : 1;
        return t with { FailedLogonCount = count, LastFailedLogon = at, LockedUntil = count >= policy.Threshold ? at + policy.Duration : t.LockedUntil };
    });
    public Tenant ResetFailedLogons(string name) => UpdateTenant(name, t => t with { FailedLogonCount = 0, LastFailedLogon = null, LockedUntil = null });

    public IReadOnlyList<TenantResource> GetResources(string? tenant = null) { lock (_gate) { return _resources.Where(r => tenant is null || Same(r.Tenant, tenant)).ToList(); } }
    public TenantResource GetResource(string tenant, string name) => GetResources(tenant).First(r => Same(r.Name, name));
    public TenantResource AddResource(TenantResource resource) => Change(() => { _resources.Add(resource); return resource; });
    public TenantResource UpdateResource(string tenant, string name, Func<TenantResource, TenantResource> change) => Change(() =>
    {
        var i = _resources.FindIndex(r => Same(r.Tenant, tenant) && Same(r.Name, name));
        return _resources[i] = change(_resources[i]);
    });
    public void RemoveResource(string tenant, string name) => Change(() => _resources.RemoveAll(r => Same(r.Tenant, tenant) && Same(r.Name, name)));

    public byte[]? GetGatewayCertificate() { lock (_gate) { return _certificate; } }
    public void SetGatewayCertificate(byte[] pkcs12) => Change(() => _certificate = pkcs12);

    public ConfigurationDocument ReplaceConfiguration(Func<ConfigurationDocument, ConfigurationDocument> change) =>
        throw new NotSupportedException("The relay tests never replace the whole configuration.");

    public ConfigurationSnapshot ReadSnapshot()
    {
        lock (_gate)
        {
            return new ConfigurationSnapshot(
                _counter,
                _gateways.Select(WithPool).OrderBy(g => g.Name).ToList(),
                _pools.OrderBy(p => p.Name).ToList(),
                _tenants.Values.Select(t => new TenantCredential(t.Tenant, t.Hash)).ToList(),
                _resources.ToList());
        }
    }

    public void Dispose() { }

    private Gateway WithPool(Gateway g) => g with { Pool = _pools.FirstOrDefault(p => p.Members.Contains(g.Name, StringComparer.OrdinalIgnoreCase))?.Name };

    private T Change<T>(Func<T> change)
    {
        lock (_gate)
        {
            var result = change();
            _counter++;
            return result;
        }
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
