using System.Collections.Concurrent;
using System.Data;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// Session leases in the <c>session_leases</c> table. Admission takes a transaction-scoped advisory lock for the
/// tenant, then (in a later statement, so with a fresh READ COMMITTED snapshot that sees every lease committed before
/// the lock was granted) counts its unexpired leases and inserts one: two servers can never both take the last slot.
/// Expiry uses the database's clock. A lease's <c>tenant_key</c> is the tenant's id (so a rename does not split its
/// count); servers of versions before that wrote the tenant's name key, and such rows are never counted or reported
/// here: they run out with their lease and are deleted a minute later.
/// </summary>
public sealed class PostgresSessionLeases : ISessionLeases
{
    /// <summary>How long a lease lives without renewal: a dead server's sessions stop counting after this.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(15);

    private readonly PostgresDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly TimeSpan _leaseDuration;
    private readonly ConcurrentDictionary<Guid, Guid> _held = new();

    internal PostgresSessionLeases(PostgresDatabase database, bool ownsDatabase, string serverId, TimeSpan leaseDuration)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
        ServerId = serverId;
        _leaseDuration = leaseDuration;
    }

    /// <summary>Connects to the configuration database with its own connection pool; the server id defaults to machine/process/random.</summary>
    public static PostgresSessionLeases Open(string connectionString, string? serverId = null, TimeSpan? leaseDuration = null) => new(
        PostgresDatabase.Open(connectionString),
        ownsDatabase: true,
        serverId ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}",
        leaseDuration ?? DefaultLeaseDuration);

    /// <inheritdoc />
    public string ServerId { get; }

    /// <inheritdoc />
    public SessionLeaseResult TryAcquire(Guid tenantId, Guid sessionId, int maxSessions)
    {
        var tenant = TenantKey(tenantId);
        try
        {
            var acquired = _database.WriteUncounted(IsolationLevel.ReadCommitted, (c, t) =>
            {
                Execute(c, t, "SELECT pg_advisory_xact_lock(hashtext('cloudgateway-sessions:' || @tenant))", ("tenant", tenant));
                var live = Scalar<long>(c, t, "SELECT count(*) FROM session_leases WHERE tenant_key = @tenant AND expires_at > now()", ("tenant", tenant));
                if (maxSessions > 0 && live >= maxSessions)
                {
                    return false;
                }

                Execute(c, t,
                    "INSERT INTO session_leases (session_id, server_id, tenant_key, expires_at) VALUES (@id, @server, @tenant, now() + @lease)",
                    ("id", sessionId), ("server", ServerId), ("tenant", tenant), ("lease", _leaseDuration));
                return true;
            });
            if (!acquired)
            {
                return SessionLeaseResult.LimitReached;
            }

            _held[sessionId] = tenantId;
            return SessionLeaseResult.Acquired;
        }
        catch (GatewayException error) when (error.Code == GatewayErrorCode.StoreUnavailable)
        {
            return SessionLeaseResult.Unavailable;
        }
    }

    /// <inheritdoc />
    public void Release(Guid sessionId)
    {
        _held.TryRemove(sessionId, out _);
        TryDelete("DELETE FROM session_leases WHERE session_id = @id", ("id", sessionId));
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<Guid, int>? Renew()
    {
        var held = _held.ToArray();
        try
        {
            return _database.WriteUncounted(IsolationLevel.ReadCommitted, (c, t) =>
            {
                Execute(c, t, "DELETE FROM session_leases WHERE expires_at <= now() - interval '1 minute'");
                foreach (var (sessionId, tenantId) in held)
                {
                    Execute(c, t,
                        "INSERT INTO session_leases (session_id, server_id, tenant_key, expires_at) VALUES (@id, @server, @tenant, now() + @lease) " +
                        "ON CONFLICT (session_id) DO UPDATE SET expires_at = excluded.expires_at",
                        ("id", sessionId), ("server", ServerId), ("tenant", TenantKey(tenantId)), ("lease", _leaseDuration));
                }

                return Query(c, t,
                    "SELECT tenant_key, count(DISTINCT server_id) FROM session_leases WHERE expires_at > now() GROUP BY tenant_key",
                    r => (Tenant: Guid.TryParseExact(r.GetString(0), "D", out var id) ? id : (Guid?)null, Servers: (int)r.GetInt64(1)))
                    .Where(x => x.Tenant is not null)
                    .ToDictionary(x => x.Tenant!.Value, x => x.Servers);
            });
        }
        catch (GatewayException error) when (error.Code == GatewayErrorCode.StoreUnavailable)
        {
            return null;
        }
    }

    /// <summary>Gives back every lease this server holds (best effort) and closes its connection pool when it owns one.</summary>
    public void Dispose()
    {
        var held = _held.Keys.ToArray();
        _held.Clear();
        TryDelete("DELETE FROM session_leases WHERE session_id = ANY(@held)", ("held", held));
        if (_ownsDatabase)
        {
            _database.Dispose();
        }
    }

    private static string TenantKey(Guid tenantId) => tenantId.ToString("D");

    /// <summary>Deletes leases; when the database is unreachable the rows simply run out, so false is all the caller needs.</summary>
    private bool TryDelete(string sql, params (string Name, object? Value)[] parameters)
    {
        try
        {
            _database.WriteUncounted(IsolationLevel.ReadCommitted, (c, t) => Execute(c, t, sql, parameters));
            return true;
        }
        catch (GatewayException error) when (error.Code == GatewayErrorCode.StoreUnavailable)
        {
            return false;
        }
    }
}
