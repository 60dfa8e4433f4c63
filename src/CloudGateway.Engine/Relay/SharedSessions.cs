using CloudGateway.Storage;

namespace CloudGateway.Relay;

/// <summary>
/// This host's part in counting sessions across every gateway server that shares the configuration, when the store
/// offers it (<see cref="ISessionLeaseSource"/>): a lease per admitted session, renewed in the background, and each
/// tenant's number of serving servers, which divides its bandwidth. With a store of one machine it does nothing.
/// While the shared count is unreachable admission relies on this host's own count, and stops asking the database
/// until the next successful renewal, so an outage never slows admission down.
/// </summary>
internal sealed class SharedSessions : IDisposable
{
    private readonly ISessionLeases? _leases;
    private volatile bool _unavailable;

    public SharedSessions(IConfigurationStore store, string serverName) =>
        _leases = store is ISessionLeaseSource source ? source.OpenSessionLeases($"{serverName}/{Environment.ProcessId}/{Guid.NewGuid():N}") : null;

    /// <summary>Whether sessions are counted across servers at all.</summary>
    public bool Enabled => _leases is not null;

    /// <summary>
    /// Takes a shared slot for a new session of the tenant <paramref name="tenantId"/>; false only when the tenant
    /// already holds <paramref name="maxSessions"/> sessions on all servers. <paramref name="lease"/> is what to release later.
    /// </summary>
    public bool TryAcquire(Guid tenantId, int maxSessions, out Guid? lease)
    {
        lease = null;
        if (_leases is null || _unavailable)
        {
            return true;
        }

        var id = Guid.NewGuid();
        switch (_leases.TryAcquire(tenantId, id, maxSessions))
        {
            case SessionLeaseResult.Acquired:
                lease = id;
                return true;
            case SessionLeaseResult.LimitReached:
                return false;
            default:
                _unavailable = true;
                return true;
        }
    }

    /// <summary>Gives a session's shared slot back.</summary>
    public void Release(Guid? lease)
    {
        if (_leases is not null && lease is { } id)
        {
            _leases.Release(id);
        }
    }

    /// <summary>Renews this host's leases; returns each tenant id's number of serving servers, or null when unknown.</summary>
    public IReadOnlyDictionary<Guid, int>? Renew()
    {
        if (_leases is null)
        {
            return null;
        }

        var servers = _leases.Renew();
        _unavailable = servers is null;
        return servers;
    }

    /// <inheritdoc />
    public void Dispose() => _leases?.Dispose();
}
