using System.Collections.Concurrent;
using System.Net;
using CloudGateway.Model;
using CloudGateway.Protocol;
using CloudGateway.Storage;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Relay;

/// <summary>
/// Decides each hello in a fixed order and audits every refusal with its real reason. The password is always
/// checked first; disabled, expired and locked tenants hear so only when the password was right, so a wrong
/// guess never learns more than invalid-credentials. Lockouts are counted in the store, so every host sharing
/// the configuration sees them; until the next snapshot arrives the host remembers the lockouts it caused.
/// A source address with too many refused password attempts, and a hello whose password check finds every
/// PBKDF2 slot taken, hear gateway-busy at once: neither depends on whether the tenant exists, and neither
/// counts towards the tenant's lockout. Both kinds of attempts count towards the source's throttle.
/// </summary>
internal sealed class Admission(
    IConfigurationStore store,
    CredentialVerifier verifier,
    LockoutPolicy lockoutPolicy,
    TimeProvider timeProvider,
    ILogger logger,
    SharedSessions sharedSessions,
    SourceThrottle sourceThrottle)
{
    private readonly ConcurrentDictionary<string, LocalLockout> _lockouts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Forgets the lockouts this host recorded that <paramref name="configuration"/> already reflects.</summary>
    public void OnConfigurationApplied(RelayConfiguration configuration)
    {
        foreach (var (name, lockout) in _lockouts)
        {
            // Strictly newer: the snapshot taken at the lockout's own counter may still be in flight to admissions.
            if (lockout.ChangeCounter < configuration.ChangeCounter)
            {
                _lockouts.TryRemove(name, out _);
            }
        }
    }

    /// <summary>
    /// Whether <see cref="Admit"/> decides <paramref name="hello"/> without waiting on anything: the password is
    /// proven by its cached proof, no failed logon is there to reset in the store, and no shared lease is to be taken.
    /// </summary>
    public bool CanDecideAtOnce(Hello hello, RelayConfiguration configuration) =>
        !sharedSessions.Enabled
        && configuration.FindTenant(hello.Tenant) is { Tenant.FailedLogonCount: 0 } credential
        && verifier.IsProven(hello.Tenant, hello.Password, credential.PasswordHash);

    public AdmissionResult Admit(Hello hello, Func<RelayConfiguration> currentConfiguration, GatewayRuntime gateway, EndPoint? remote, Func<Gateway, bool> isDown, Func<string, TenantRuntime> runtimeOf)
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

        var credential = currentConfiguration().FindTenant(hello.Tenant);
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
        if (credential is null)
        {
            RelayLog.RefusedUnknownTenant(logger, hello.Tenant, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.InvalidCredentials);
        }

        var tenant = credential.Tenant;
        var now = timeProvider.GetUtcNow();
        var lockedUntil = LockedUntil(tenant, now);
        if (!passwordRight)
        {
            var failures = lockedUntil is null ? RecordFailure(tenant, now) : tenant.FailedLogonCount;
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

        if (lockedUntil is not null)
        {
            RelayLog.RefusedTenantLocked(logger, tenant.Name, lockedUntil, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.TenantLocked);
        }

        if (tenant.FailedLogonCount > 0)
        {
            ResetFailures(tenant);
        }

        var access = configuration.GetAccess(tenant, isDown);
        if (!access.Allows(gateway.Name))
        {
            RelayLog.RefusedGatewayNotAllowed(logger, tenant.Name, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.GatewayNotAllowed);
        }

        if (hello.ListOnly)
        {
            return new AdmissionResult(null, tenant, null, null, access.ToEndpoints());
        }

        var resource = configuration.FindResource(tenant.Name, hello.Resource!);
        if (resource is null)
        {
            RelayLog.RefusedResourceNotFound(logger, tenant.Name, hello.Resource!, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.ResourceNotFound);
        }

        var runtime = runtimeOf(tenant.Name);
        if (!runtime.TryAddSession(tenant.MaxConcurrentSessions))
        {
            RelayLog.RefusedSessionLimit(logger, tenant.Name, tenant.MaxConcurrentSessions, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.SessionLimit);
        }

        if (!sharedSessions.TryAcquire(tenant.Name, tenant.MaxConcurrentSessions, out var sharedLease))
        {
            runtime.RemoveSession();
            RelayLog.RefusedSessionLimit(logger, tenant.Name, tenant.MaxConcurrentSessions, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.SessionLimit);
        }

        return new AdmissionResult(null, tenant, runtime, resource, access.ToEndpoints(), sharedLease);
    }

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

    private int RecordFailure(Tenant tenant, DateTimeOffset now)
    {
        try
        {
            var updated = store.RecordFailedLogon(tenant.Name, now, lockoutPolicy);
            if (updated.LockedUntil > now)
            {
                _lockouts[tenant.Name] = new LocalLockout(updated.LockedUntil.Value, store.GetChangeCounter());
                RelayLog.TenantLockedOut(logger, tenant.Name, updated.LockedUntil, updated.FailedLogonCount);
            }

            return updated.FailedLogonCount;
        }
        catch (GatewayException ex)
        {
            RelayLog.FailedLogonNotRecorded(logger, ex, tenant.Name);
            return tenant.FailedLogonCount + 1;
        }
    }

    private void ResetFailures(Tenant tenant)
    {
        try
        {
            store.ResetFailedLogons(tenant.Name);
        }
        catch (GatewayException ex)
        {
            RelayLog.FailedLogonNotRecorded(logger, ex, tenant.Name);
        }
    }

    private sealed record LocalLockout(DateTimeOffset Until, long ChangeCounter);
}
