using System.Net;

namespace CloudGateway.Client.Providers;

/// <summary>
/// The one implementation of <see cref="IProviderStore"/>'s rules over a backend's provider tables: every change
/// validates, stamps, checks the name and encrypts the password (<see cref="ProviderPasswords"/>), then writes and reads
/// back inside one transaction of the backend, so SQLite and PostgreSQL refuse the same changes with the same errors
/// and return what they keep (PostgreSQL keeps times to the microsecond).
/// </summary>
public abstract class ProviderStore : IProviderStore
{
    private readonly TimeProvider _timeProvider;

    private protected ProviderStore(ProviderPasswords passwords, TimeProvider? timeProvider)
    {
        Passwords = passwords;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public abstract string Location { get; }

    /// <summary>How the tenants' passwords are encrypted.</summary>
    private protected ProviderPasswords Passwords { get; }

    /// <inheritdoc />
    public IReadOnlyList<CloudProvider> GetProviders() => Read(tables => tables.ReadProviders(null));

    /// <inheritdoc />
    public CloudProvider GetProvider(string name) => Read(tables => Find(tables, name));

    /// <inheritdoc />
    public CloudProvider AddProvider(CloudProvider provider, string password)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var valid = provider.Validated();
        CheckPassword(password, valid.Name);
        var now = _timeProvider.GetUtcNow();
        var stored = valid with { Created = now, Modified = now };
        return Write(tables =>
        {
            EnsureNameFree(tables, stored.Name);
            tables.InsertProvider(stored, Passwords.Protect(password, stored.Id));
            tables.WriteGateways(stored.Id, stored.Gateways);
            return Find(tables, stored.Name);
        });
    }

    /// <inheritdoc />
    public CloudProvider UpdateProvider(string name, Func<CloudProvider, CloudProvider> change, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (password is not null)
        {
            CheckPassword(password, name);
        }

        return Write(tables =>
        {
            var current = Find(tables, name);
            var changed = change(current).Validated() with { Id = current.Id, Created = current.Created, Modified = _timeProvider.GetUtcNow() };
            if (!string.Equals(changed.Name, current.Name, StringComparison.OrdinalIgnoreCase))
            {
                EnsureNameFree(tables, changed.Name);
            }

            tables.UpdateProvider(changed, password is null ? null : Passwords.Protect(password, changed.Id));
            tables.WriteGateways(changed.Id, changed.Gateways);
            return Find(tables, changed.Name);
        });
    }

    /// <inheritdoc />
    public void RemoveProvider(string name) => Write(tables => tables.DeleteProvider(name) == 1 ? 1 : throw NotFound(name));

    /// <inheritdoc />
    public NetworkCredential GetCredential(string name)
    {
        var (id, tenant, blob) = Read(tables => tables.ReadCredential(name)) ?? throw NotFound(name);
        return new NetworkCredential(tenant, Passwords.Unprotect(blob, id, name));
    }

    /// <inheritdoc />
    public void SaveGatewayList(string name, IReadOnlyList<KnownGateway> gateways, DateTimeOffset refreshedAt)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        Write(tables =>
        {
            var provider = Find(tables, name);
            tables.WriteLastRefresh(provider.Id, refreshedAt);
            tables.WriteGateways(provider.Id, gateways);
            return 0;
        });
    }

    /// <inheritdoc />
    public void SaveGatewayHealth(string name, string gatewayName, GatewayHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        Write(tables => tables.WriteGatewayHealth(name, gatewayName, health));
    }

    /// <inheritdoc />
    public void SaveCertificatePins(string name, CertificatePins pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        Write(tables => tables.WritePins(name, pins) == 1 ? 1 : throw NotFound(name));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the backend's connections.</summary>
    protected abstract void Dispose(bool disposing);

    /// <summary>Runs <paramref name="read"/> on one consistent snapshot of the backend's tables.</summary>
    private protected abstract T Read<T>(Func<IProviderTables, T> read);

    /// <summary>Runs <paramref name="write"/> in one transaction of the backend; nothing is kept when it throws.</summary>
    private protected abstract T Write<T>(Func<IProviderTables, T> write);

    private static void CheckPassword(string password, string name)
    {
        if (string.IsNullOrEmpty(password))
        {
            GatewayException.ThrowIfInvalid($"Provider '{name}'", name, [new ValidationProblem("Credential", "has no password")]);
        }
    }

    private static CloudProvider Find(IProviderTables tables, string name) => tables.ReadProviders(name) is [var provider] ? provider : throw NotFound(name);

    // Inside the write's transaction, and ignoring case in every script: the tables compare names as SQLite's NOCASE
    // does (ASCII letters only), and a tenant keeps a handful of providers, so reading them all costs nothing.
    private static void EnsureNameFree(IProviderTables tables, string name)
    {
        if (tables.ReadProviders(null).Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"A provider named '{name}' already exists.", name);
        }
    }

    private static GatewayException NotFound(string name) => new(GatewayErrorCode.NotFound, $"There is no provider named '{name}'.", name);
}
