namespace CloudGateway.Storage;

/// <summary>
/// Counts each tenant's sessions across every gateway server sharing one configuration, so MaxConcurrentSessions holds
/// for the whole estate. A server takes a lease per admitted session, renews its leases while the sessions live and
/// gives them back when they end; the leases of a server that dies run out and stop counting.
/// </summary>
public interface ISessionLeases : IDisposable
{
    /// <summary>This server's identity in the shared lease table.</summary>
    string ServerId { get; }

    /// <summary>
    /// Takes a lease for a new session of the tenant <paramref name="tenantId"/> when it holds fewer than
    /// <paramref name="maxSessions"/> live sessions on all servers (0 = no limit). Leases belong to the tenant's id,
    /// not its name, so sessions opened before a rename still count after it. Never throws for an outage: it answers
    /// <see cref="SessionLeaseResult.Unavailable"/> and the caller applies its own local count instead.
    /// </summary>
    SessionLeaseResult TryAcquire(Guid tenantId, Guid sessionId, int maxSessions);

    /// <summary>Gives a session's lease back (also when the database is unreachable: it is then forgotten locally and runs out).</summary>
    void Release(Guid sessionId);

    /// <summary>
    /// Renews the leases of this server's live sessions (re-creating any lost during an outage) and returns, per
    /// tenant id, how many live servers hold its sessions, this one included; null when the database is unreachable.
    /// Call it more often than the lease duration.
    /// </summary>
    IReadOnlyDictionary<Guid, int>? Renew();
}

/// <summary>What <see cref="ISessionLeases.TryAcquire"/> decided.</summary>
public enum SessionLeaseResult
{
    /// <summary>The session is counted; give it back with <see cref="ISessionLeases.Release"/>.</summary>
    Acquired,
    /// <summary>The tenant already holds its maximum of sessions across all servers.</summary>
    LimitReached,
    /// <summary>The shared count could not be reached; the caller falls back to its own server's count.</summary>
    Unavailable,
}
