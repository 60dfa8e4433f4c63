using CloudGateway.Model;
using CloudGateway.Networking;

namespace CloudGateway.Storage;

/// <summary>
/// The SP's configuration: gateways, pools, tenants and their resources. Every change runs in one transaction,
/// validates the whole object and enforces every guard, and bumps <see cref="GetChangeCounter"/>; names are
/// compared without regard to case. Failures are <see cref="GatewayException"/>s. SQLite and PostgreSQL
/// implementations pass the same contract tests.
/// </summary>
public interface IConfigurationStore : IDisposable
{
    /// <summary>Where the configuration lives: a file path, or a connection string with its secrets removed.</summary>
    string Location { get; }

    /// <summary>A number that grows with every committed change; running gateways poll it.</summary>
    long GetChangeCounter();

    /// <summary>All gateways, ordered by name.</summary>
    IReadOnlyList<Gateway> GetGateways();

    /// <summary>The named gateway; NotFound when there is none.</summary>
    Gateway GetGateway(string name);

    /// <summary>Adds a gateway and returns it as stored.</summary>
    Gateway AddGateway(Gateway gateway);

    /// <summary>Reads the named gateway, applies <paramref name="change"/> and stores the result, atomically.</summary>
    Gateway UpdateGateway(string name, Func<Gateway, Gateway> change);

    /// <summary>Removes a gateway, taking it out of its pool.</summary>
    void RemoveGateway(string name);

    /// <summary>All pools, ordered by name.</summary>
    IReadOnlyList<GatewayPool> GetPools();

    /// <summary>The named pool; NotFound when there is none.</summary>
    GatewayPool GetPool(string name);

    /// <summary>Adds a pool; <paramref name="force"/> allows pooling the last standalone gateway.</summary>
    GatewayPool AddPool(GatewayPool pool, bool force = false);

    /// <summary>Reads the named pool, applies <paramref name="change"/> and stores the result, atomically.</summary>
    GatewayPool UpdatePool(string name, Func<GatewayPool, GatewayPool> change, bool force = false);

    /// <summary>Removes a pool; its gateways become standalone. <paramref name="force"/> allows removing a pool tenants use.</summary>
    void RemovePool(string name, bool force = false);

    /// <summary>All tenants, ordered by name.</summary>
    IReadOnlyList<Tenant> GetTenants();

    /// <summary>The named tenant; NotFound when there is none.</summary>
    Tenant GetTenant(string name);

    /// <summary>Adds a tenant with the PBKDF2 hash of its password.</summary>
    Tenant AddTenant(Tenant tenant, string passwordHash);

    /// <summary>
    /// Reads the named tenant, applies <paramref name="change"/> and stores the result, atomically, together with the
    /// PBKDF2 hash of a new password and a change of its network extension settings when they are given.
    /// </summary>
    Tenant UpdateTenant(string name, Func<Tenant, Tenant> change, string? passwordHash = null, Func<DefaultGatewayConfiguration, DefaultGatewayConfiguration>? networkExtension = null);

    /// <summary>Replaces a tenant's password hash.</summary>
    void SetTenantPassword(string name, string passwordHash);

    /// <summary>Removes a tenant and its resources.</summary>
    void RemoveTenant(string name);

    /// <summary>
    /// Counts one failed logon and locks the tenant when the policy says so, the window's failures having come from
    /// <paramref name="sources"/> different sources as far as the caller saw; returns the tenant after the change.
    /// </summary>
    Tenant RecordFailedLogon(string name, DateTimeOffset at, LockoutPolicy policy, int sources);

    /// <summary>Clears the failed-logon count and any lockout, and the time of the last failure (relay hosts read that as an unlock).</summary>
    Tenant ResetFailedLogons(string name);

    /// <summary>
    /// Sets the failed-logon count to 0 after a successful logon. The time of the last failure and any lockout stay,
    /// so relay hosts can tell this from an unlock.
    /// </summary>
    void ForgiveFailedLogons(string name);

    /// <summary>All resources, or those of one tenant, ordered by tenant and name.</summary>
    IReadOnlyList<TenantResource> GetResources(string? tenant = null);

    /// <summary>One tenant's named resource; NotFound when there is none.</summary>
    TenantResource GetResource(string tenant, string name);

    /// <summary>Adds a resource to its tenant.</summary>
    TenantResource AddResource(TenantResource resource);

    /// <summary>Reads the named resource, applies <paramref name="change"/> and stores the result, atomically.</summary>
    TenantResource UpdateResource(string tenant, string name, Func<TenantResource, TenantResource> change);

    /// <summary>Removes a resource.</summary>
    void RemoveResource(string tenant, string name);

    /// <summary>The gateways' certificate as PKCS#12 bytes (no password), or null when none was set. Never exported.</summary>
    byte[]? GetGatewayCertificate();

    /// <summary>Replaces the gateways' certificate (PKCS#12 bytes, no password).</summary>
    void SetGatewayCertificate(byte[] pkcs12);

    /// <summary>The certificate of <paramref name="slot"/> as PKCS#12 bytes (no password), or null when the slot is empty.</summary>
    byte[]? GetGatewayCertificate(CertificateSlot slot);

    /// <summary>
    /// Stores a certificate as the active one or as the staged successor (Next), which needs an active certificate and
    /// must differ from it; any earlier successor is replaced.
    /// </summary>
    void SetGatewayCertificate(byte[] pkcs12, CertificateSlot slot);

    /// <summary>
    /// Makes the successor active and keeps the active one as Previous; with <paramref name="rollback"/>, makes Previous
    /// active again and the one it replaces the successor. NotFound when there is nothing to switch to. With
    /// <paramref name="expectedActive"/>, switches only while that certificate is active and otherwise changes nothing
    /// (another server switched first).
    /// </summary>
    CertificateState SwitchGatewayCertificate(bool rollback, string? expectedActive = null);

    /// <summary>
    /// Stages <paramref name="pkcs12"/> as the successor of the active certificate <paramref name="renewing"/>, unless a
    /// successor is staged already or another certificate became active meanwhile; returns whether it was staged.
    /// </summary>
    bool StageGatewayCertificateRenewal(byte[] pkcs12, string renewing);

    /// <summary>The certificates' thumbprints and which successor each tenant learned.</summary>
    CertificateState GetCertificateState();

    /// <summary>Records that <paramref name="tenant"/> was told the successor <paramref name="thumbprint"/> on an accepted connection.</summary>
    void RecordCertificatePin(string tenant, string thumbprint);

    /// <summary>Everything the relay needs, read in one transaction.</summary>
    ConfigurationSnapshot ReadSnapshot();

    /// <summary>
    /// What changed after <paramref name="changeCounter"/>, read in one transaction; null when the store no longer keeps
    /// the removals that far back (more than a million changes) or is behind the value (a database restored from a
    /// backup), and the relay must read a whole snapshot instead.
    /// </summary>
    ConfigurationChanges? ReadChangesSince(long changeCounter);

    /// <summary>
    /// Reads the whole configuration, applies <paramref name="change"/>, checks the result completely with
    /// <see cref="ConfigurationDocumentValidator"/> and replaces gateways, pools, tenants and resources with it, all
    /// in one transaction: on any failure nothing changes. The gateways' certificate is kept. Each entity written is
    /// reported to <paramref name="progress"/>, from the calling thread. Returns what was stored.
    /// </summary>
    ConfigurationDocument ReplaceConfiguration(Func<ConfigurationDocument, ConfigurationDocument> change, IProgress<WorkProgress>? progress = null);
}
