namespace CloudGateway.Storage;

/// <summary>
/// Implemented by stores that can announce a committed change (PostgreSQL's LISTEN/NOTIFY), so a running gateway
/// learns of it at once instead of at its next poll. Polling <see cref="IConfigurationStore.GetChangeCounter"/>
/// stays the fallback: a wait never fails because the announcements are unavailable, it only lasts until
/// <c>maxWait</c>.
/// </summary>
public interface IChangeNotifications
{
    /// <summary>
    /// Completes with true as soon as a change counter above <paramref name="knownCounter"/> has been announced, or
    /// with false when <paramref name="maxWait"/> passes first; the caller then reads the counter itself.
    /// </summary>
    Task<bool> WaitForChangeAsync(long knownCounter, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Whether announcements are being received right now (false while the database is unreachable).</summary>
    bool IsListening { get; }
}
