using System.Collections.Concurrent;
using System.Net;
using CloudGateway.Metrics;
using CloudGateway.Model;
using CloudGateway.Protocol;
using CloudGateway.Storage;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Relay;

/// <summary>
/// Decides each hello in a fixed order and audits every refusal with its real reason. Locks are decided before the
/// password is checked, so a locked hello runs no password check and hears tenant-locked whatever its password:
/// a source locked out of the name (see <see cref="LogonGuard"/>), or a tenant-wide lock unless the source logged
/// on as the tenant recently. Unknown names are locked exactly like tenants. Otherwise the password is checked;
/// disabled and expired tenants hear so only when it was right, so a wrong guess never learns more than
/// invalid-credentials. Tenant-wide failures are counted in the store, so every host sharing the configuration
/// sees the lock; until the next snapshot arrives the host remembers the lockouts it caused. Per-source failures
/// and trust are kept by each host. A source address with too many refused password attempts, and a hello whose
/// password check finds every PBKDF2 slot taken, hear gateway-busy at once: neither depends on whether the tenant
/// exists, and neither counts towards a lockout. Both kinds of attempts count towards the source's throttle.
/// </summary>
internal sealed class Admission(
    IConfigurationStore store,
    CredentialVerifier verifier,
    LockoutPolicy lockoutPolicy,
    TimeProvider timeProvider,
    ILogger logger,
    SharedSessions sharedSessions,
    SourceThrottle sourceThrottle,
    RelayMetrics metrics)
{
    private readonly ConcurrentDictionary<string, LocalLockout> _lockouts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _failuresStored = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _pinsRecorded = new(StringComparer.OrdinalIgnoreCase);
    private readonly LogonGuard _guard = new(lockoutPolicy, LogonGuard.DefaultCapacity);

    /// <summary>
    /// Forgets the lockouts this host recorded that <paramref name="configuration"/> already reflects, and the
    /// per-source failures and locks of tenants unlocked (or removed) since this host stored a failure for them.
    /// </summary>
    public void OnConfigurationApplied(RelayConfiguration configuration)
    {
        // Strictly newer: the snapshot taken at the change's own counter may still be in flight to admissions.
        foreach (var (name, lockout) in _lockouts)
        {
            if (lockout.ChangeCounter < configuration.ChangeCounter)
            {
                _lockouts.TryRemove(name, out _);
            }
        }

        foreach (var (name, counter) in _failuresStored)
        {
            if (counter < configuration.ChangeCounter && configuration.FindTenant(name) is not { Tenant.LastFailedLogon: not null })
            {
                _guard.Clear(name);
                _failuresStored.TryRemove(name, out _);
            }
        }
    }

    /// <summary>
    /// Whether <see cref="Admit"/> decides <paramref name="hello"/> without waiting on anything: the password is
    /// proven by its cached proof, no failed-logon count is there to set back in the store, no successor certificate is
    /// to be recorded as learned, and no shared lease is to be taken.
    /// </summary>
    public bool CanDecideAtOnce(Hello hello, RelayConfiguration configuration) =>
        !sharedSessions.Enabled
        && configuration.FindTenant(hello.Tenant) is { Tenant.FailedLogonCount: 0 } credential
        && verifier.IsProven(hello.Tenant, hello.Password, credential.PasswordHash)
        && (configuration.Certificates.Next is not { } next || WasTold(configuration, credential.Tenant.Name, next));

    /// <summary>
    /// Decides one hello. <paramref name="currentConfiguration"/> is the relay's configuration as it stands;
    /// <paramref name="freshConfiguration"/> first brings it up to date, and is used when a full password check follows.
    /// </summary>
    public AdmissionResult Admit(Hello hello, Func<RelayConfiguration> currentConfiguration, Func<RelayConfiguration> freshConfiguration, GatewayRuntime gateway, EndPoint? remote, Func<Gateway, bool> isDown, Func<Tenant, TenantRuntime> runtimeOf)
    {
        if (hello.Version != WireProtocol.Version)
        {
            RelayLog.RefusedUnsupportedVersion(logger, hello.Version, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.UnsupportedVersion);
        }

        if (sourceThrottle.BlockedUntil(remote, timeProvider.GetUtcNow()) is { } blockedUntil)
        {
            RelayLog.RefusedSourceThrottled(logger, hello.Tenant, gateway.Name, remote, blockedUntil);
            return AdmissionResult.Refuse(RefusalReason.GatewayBusy);
        }

        var source = SourceThrottle.KeyOf(remote) ?? IPAddress.None;
        var credential = currentConfiguration().FindTenant(hello.Tenant);
        if (!verifier.IsProven(hello.Tenant, hello.Password, credential?.PasswordHash))
        {
            // A tenant created or a password changed a moment ago must not be refused while the relay catches up.
            credential = freshConfiguration().FindTenant(hello.Tenant);
        }

        var state = _guard.Check(hello.Tenant, source, timeProvider.GetUtcNow());
        var tenantLock = credential is null ? state.NameLockedUntil : LockedUntil(credential.Tenant, timeProvider.GetUtcNow());
        if (state.SourceLockedUntil is { } sourceLock)
        {
            RelayLog.RefusedSourceLocked(logger, hello.Tenant, sourceLock, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.TenantLocked);
        }

        if (tenantLock is not null && !state.Trusted)
        {
            RelayLog.RefusedTenantLocked(logger, hello.Tenant, tenantLock, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.TenantLocked);
        }

        var check = verifier.Verify(hello.Tenant, hello.Password, credential?.PasswordHash);
        if (check != PasswordCheck.Right)
        {
            RecordSourceFailure(remote);
        }

        if (check == PasswordCheck.Busy)
        {
            RelayLog.RefusedPasswordChecksBusy(logger, hello.Tenant, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.GatewayBusy);
        }

        var passwordRight = check == PasswordCheck.Right;

        // A first check runs PBKDF2 for a good while; decide on the configuration as it is now.
        var configuration = currentConfiguration();
        credential = configuration.FindTenant(hello.Tenant);
        var now = timeProvider.GetUtcNow();
        if (credential is null)
        {
            RecordUnknownNameFailure(hello.Tenant, source, now, remote);
            RelayLog.RefusedUnknownTenant(logger, hello.Tenant, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.InvalidCredentials);
        }

        var tenant = credential.Tenant;
        if (!passwordRight)
        {
            var failures = RecordFailure(tenant, source, now, remote);
            RelayLog.RefusedWrongPassword(logger, tenant.Name, failures, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.InvalidCredentials);
        }

        if (!tenant.Enabled)
        {
            RelayLog.RefusedTenantDisabled(logger, tenant.Name, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.TenantDisabled);
        }

        if (tenant.LeaseExpiration is { } lease && lease <= now)
        {
            RelayLog.RefusedLeaseExpired(logger, tenant.Name, lease, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.LeaseExpired);
        }

        // A trusted source admitted through a tenant-wide lock leaves the count, and so the lock, as they are.
        var forgive = LockedUntil(tenant, now) is null;
        _guard.RecordSuccess(tenant.Name, source, now, forgive);
        if (forgive && tenant.FailedLogonCount > 0)
        {
            ForgiveFailures(tenant);
        }

        var access = configuration.GetAccess(tenant, isDown);
        if (!access.Allows(gateway.Name))
        {
            RelayLog.RefusedGatewayNotAllowed(logger, tenant.Name, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.GatewayNotAllowed);
        }

        if (hello.ListOnly)
        {
            return new AdmissionResult(null, tenant, null, null, access.ToEndpoints(), NextCertificate: Announce(configuration, tenant.Name));
        }

        var resource = configuration.FindResource(tenant.Name, hello.Resource!);
        if (resource is null)
        {
            RelayLog.RefusedResourceNotFound(logger, tenant.Name, hello.Resource!, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.ResourceNotFound);
        }

        var runtime = runtimeOf(tenant);
        if (!runtime.TryAddSession(tenant.MaxConcurrentSessions))
        {
            RelayLog.RefusedSessionLimit(logger, tenant.Name, tenant.MaxConcurrentSessions, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.SessionLimit);
        }

        if (!sharedSessions.TryAcquire(tenant.Id, tenant.MaxConcurrentSessions, out var sharedLease))
        {
            runtime.RemoveSession();
            RelayLog.RefusedSessionLimit(logger, tenant.Name, tenant.MaxConcurrentSessions, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.SessionLimit);
        }

        return new AdmissionResult(null, tenant, runtime, resource, access.ToEndpoints(), sharedLease, Announce(configuration, tenant.Name));
    }

    /// <summary>
    /// The successor certificate an accepted tenant is told, if one is staged; the first time per tenant and successor
    /// it is recorded in the store, so the SP can count who will accept it before switching.
    /// </summary>
    private string? Announce(RelayConfiguration configuration, string tenant)
    {
        if (configuration.Certificates.Next is not { } next)
        {
            return null;
        }

        if (!WasTold(configuration, tenant, next))
        {
            _pinsRecorded[tenant] = next;
            try
            {
                store.RecordCertificatePin(tenant, next);
            }
            catch (GatewayException ex)
            {
                _pinsRecorded.TryRemove(tenant, out _);
                RelayLog.CertificatePinNotRecorded(logger, ex, tenant, next);
            }
        }

        return next;
    }

    // Recorded in the snapshot, or by this host since it was read.
    private bool WasTold(RelayConfiguration configuration, string tenant, string next) =>
        configuration.Certificates.LearnedByTenant.GetValueOrDefault(tenant) == next
        || _pinsRecorded.GetValueOrDefault(tenant) == next;

    private void RecordSourceFailure(EndPoint? remote)
    {
        if (sourceThrottle.RecordFailure(remote, timeProvider.GetUtcNow()) is { } until)
        {
            RelayLog.SourceThrottled(logger, remote, until);
        }
    }

    private DateTimeOffset? LockedUntil(Tenant tenant, DateTimeOffset now)
    {
        var until = tenant.LockedUntil;
        if (_lockouts.TryGetValue(tenant.Name, out var local) && (until is null || local.Until > until))
        {
            until = local.Until;
        }

        return until > now ? until : null;
    }

    private int RecordFailure(Tenant tenant, IPAddress source, DateTimeOffset now, EndPoint? remote)
    {
        var failure = _guard.RecordFailure(tenant.Name, source, now);
        AuditSourceLock(tenant.Name, failure, remote);
        var wasLocked = LockedUntil(tenant, now) is not null;
        try
        {
            var updated = store.RecordFailedLogon(tenant.Name, now, lockoutPolicy, failure.Sources);
            var counter = store.GetChangeCounter();
            _failuresStored[tenant.Name] = counter;
            if (updated.LockedUntil > now)
            {
                _lockouts[tenant.Name] = new LocalLockout(updated.LockedUntil.Value, counter);
                if (!wasLocked)
                {
                    RelayLog.TenantLockedOut(logger, tenant.Name, updated.LockedUntil, updated.FailedLogonCount, failure.Sources);
                    metrics.LockedOut("tenant");
                }
            }

            return updated.FailedLogonCount;
        }
        catch (GatewayException ex)
        {
            RelayLog.FailedLogonNotRecorded(logger, ex, tenant.Name);
            return tenant.FailedLogonCount + 1;
        }
    }

    // Counted on this host alone, so that a stranger probing names finds unknown ones locked like real tenants.
    private void RecordUnknownNameFailure(string name, IPAddress source, DateTimeOffset now, EndPoint? remote)
    {
        var failure = _guard.RecordFailure(name, source, now);
        AuditSourceLock(name, failure, remote);
        if (lockoutPolicy.LocksTenant(failure.Failures, failure.Sources))
        {
            _guard.LockName(name, now + lockoutPolicy.Duration);
        }
    }

    private void AuditSourceLock(string name, LogonFailure failure, EndPoint? remote)
    {
        if (failure.SourceLockedUntil is { } until)
        {
            RelayLog.SourceLockedOut(logger, remote, name, until, lockoutPolicy.SourceThreshold);
            metrics.LockedOut("source");
        }
    }

    private void ForgiveFailures(Tenant tenant)
    {
        try
        {
            store.ForgiveFailedLogons(tenant.Name);
        }
        catch (GatewayException ex)
        {
            RelayLog.FailedLogonNotRecorded(logger, ex, tenant.Name);
        }
    }

    private sealed record LocalLockout(DateTimeOffset Until, long ChangeCounter);
}
