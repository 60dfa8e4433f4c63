using CloudGateway.Model;
using CloudGateway.Networking;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Relay;

/// <summary>Passes every call to a real store, unless <see cref="Failing"/> is set: then every call throws, like a database outage.</summary>
internal sealed class FlakyStore(IConfigurationStore inner) : IConfigurationStore
{
    private volatile bool _failing;

    public bool Failing { get => _failing; set => _failing = value; }

    public string Location => inner.Location;

    private IConfigurationStore Inner => _failing ? throw new GatewayException(GatewayErrorCode.StoreUnavailable, "The test made the store unavailable.") : inner;

    public long GetChangeCounter() => Inner.GetChangeCounter();
    public IReadOnlyList<Gateway> GetGateways() => Inner.GetGateways();
    public Gateway GetGateway(string name) => Inner.GetGateway(name);
    public Gateway AddGateway(Gateway gateway) => Inner.AddGateway(gateway);
    public Gateway UpdateGateway(string name, Func<Gateway, Gateway> change) => Inner.UpdateGateway(name, change);
    public void RemoveGateway(string name) => Inner.RemoveGateway(name);
    public IReadOnlyList<GatewayPool> GetPools() => Inner.GetPools();
    public GatewayPool GetPool(string name) => Inner.GetPool(name);
    public GatewayPool AddPool(GatewayPool pool, bool force = false) => Inner.AddPool(pool, force);
    public GatewayPool UpdatePool(string name, Func<GatewayPool, GatewayPool> change, bool force = false) => Inner.UpdatePool(name, change, force);
    public void RemovePool(string name, bool force = false) => Inner.RemovePool(name, force);
    public IReadOnlyList<Tenant> GetTenants() => Inner.GetTenants();
    public Tenant GetTenant(string name) => Inner.GetTenant(name);
    public Tenant AddTenant(Tenant tenant, string passwordHash) => Inner.AddTenant(tenant, passwordHash);
    public Tenant UpdateTenant(string name, Func<Tenant, Tenant> change, string? passwordHash = null, Func<DefaultGatewayConfiguration, DefaultGatewayConfiguration>? networkExtension = null) =>
        Inner.UpdateTenant(name, change, passwordHash, networkExtension);
    public void SetTenantPassword(string name, string passwordHash) => Inner.SetTenantPassword(name, passwordHash);
    public void RemoveTenant(string name) => Inner.RemoveTenant(name);
    public Tenant RecordFailedLogon(string name, DateTimeOffset at, LockoutPolicy policy, int sources) => Inner.RecordFailedLogon(name, at, policy, sources);
    public Tenant ResetFailedLogons(string name) => Inner.ResetFailedLogons(name);
    public void ForgiveFailedLogons(string name) => Inner.ForgiveFailedLogons(name);
    public IReadOnlyList<TenantResource> GetResources(string? tenant = null) => Inner.GetResources(tenant);
    public TenantResource GetResource(string tenant, string name) => Inner.GetResource(tenant, name);
    public TenantResource AddResource(TenantResource resource) => Inner.AddResource(resource);
    public TenantResource UpdateResource(string tenant, string name, Func<TenantResource, TenantResource> change) => Inner.UpdateResource(tenant, name, change);
    public void RemoveResource(string tenant, string name) => Inner.RemoveResource(tenant, name);
    public byte[]? GetGatewayCertificate() => Inner.GetGatewayCertificate();
    public void SetGatewayCertificate(byte[] pkcs12) => Inner.SetGatewayCertificate(pkcs12);
    public byte[]? GetGatewayCertificate(CertificateSlot slot) => Inner.GetGatewayCertificate(slot);
    public void SetGatewayCertificate(byte[] pkcs12, CertificateSlot slot) => Inner.SetGatewayCertificate(pkcs12, slot);
    public CertificateState SwitchGatewayCertificate(bool rollback, string? expectedActive = null) => Inner.SwitchGatewayCertificate(rollback, expectedActive);
    public bool StageGatewayCertificateRenewal(byte[] pkcs12, string renewing) => Inner.StageGatewayCertificateRenewal(pkcs12, renewing);
    public CertificateState GetCertificateState() => Inner.GetCertificateState();
    public void RecordCertificatePin(string tenant, string thumbprint) => Inner.RecordCertificatePin(tenant, thumbprint);
    public ConfigurationSnapshot ReadSnapshot() => Inner.ReadSnapshot();
    public ConfigurationChanges? ReadChangesSince(long changeCounter) => Inner.ReadChangesSince(changeCounter);
    public ConfigurationDocument ReplaceConfiguration(Func<ConfigurationDocument, ConfigurationDocument> change, IProgress<WorkProgress>? progress = null) => Inner.ReplaceConfiguration(change, progress);
    public void Dispose() => inner.Dispose();
}
