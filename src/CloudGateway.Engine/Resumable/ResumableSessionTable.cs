using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace CloudGateway.Resumable;

/// <summary>
/// A relay host's resumable sessions, found by the SHA-256 of their current resume token (a token itself is never
/// kept), the memory each gateway has promised them, and for a while the sessions whose grace period ran out, so a
/// late resume hears session-expired instead of unknown-session.
/// </summary>
internal sealed class ResumableSessionTable
{
    private const int ExpiredKept = 10_000;
    private static readonly TimeSpan ExpiredFor = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, ResumableRelaySession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Guid Tenant, DateTimeOffset At)> _expired = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _reserved = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The sessions kept now.</summary>
    public ICollection<ResumableRelaySession> Sessions => _sessions.Values;

    /// <summary>Promises <paramref name="bytes"/> of <paramref name="gateway"/>'s <paramref name="cap"/>; false (and <paramref name="reserved"/>, what is promised already) when that would pass it.</summary>
    public bool TryReserve(string gateway, long bytes, long cap, out long reserved)
    {
        while (true)
        {
            reserved = _reserved.GetOrAdd(gateway, 0);
            if (reserved + bytes > cap)
            {
                return false;
            }

            if (_reserved.TryUpdate(gateway, reserved + bytes, reserved))
            {
                return true;
            }
        }
    }

    /// <summary>Gives back what <see cref="TryReserve"/> promised.</summary>
    public void Release(string gateway, long bytes) => _reserved.AddOrUpdate(gateway, 0, (_, reserved) => Math.Max(0, reserved - bytes));

    /// <summary>
    /// Gives <paramref name="session"/> a new resume token and returns it. The token a resume presented
    /// (<paramref name="presented"/>) stays valid beside it, since the answer carrying the new one may be lost with its
    /// connection; every older token stops working, so a token replayed after a later resume is refused.
    /// </summary>
    public string IssueToken(ResumableRelaySession session, string? presented = null)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hash = HashOf(token);
        var kept = presented is null ? null : HashOf(presented);
        _sessions[hash] = session;
        foreach (var old in session.TokenHashes.Where(h => h != kept))
        {
            _sessions.TryRemove(new KeyValuePair<string, ResumableRelaySession>(old, session));
        }

        session.TokenHashes = kept is null ? [hash] : [kept, hash];
        return token;
    }

    /// <summary>The session <paramref name="token"/> resumes, or null.</summary>
    public ResumableRelaySession? Find(string token) => _sessions.TryGetValue(HashOf(token), out var session) ? session : null;

    /// <summary>The tenant whose session <paramref name="token"/> resumed until its grace period ran out, or null.</summary>
    public Guid? ExpiredTenant(string token) => _expired.TryGetValue(HashOf(token), out var expired) ? expired.Tenant : null;

    /// <summary>Forgets <paramref name="session"/>, remembering its token a while when its grace period ran out.</summary>
    public void Remove(ResumableRelaySession session, bool expired, DateTimeOffset now)
    {
        // Remembered before it is forgotten, so that no resume finds neither.
        if (expired)
        {
            if (_expired.Count >= ExpiredKept)
            {
                foreach (var (hash, entry) in _expired)
                {
                    if (now - entry.At > ExpiredFor || _expired.Count >= ExpiredKept)
                    {
                        _expired.TryRemove(hash, out _);
                    }
                }
            }

            foreach (var hash in session.TokenHashes)
            {
                _expired[hash] = (session.Identity.TenantId, now);
            }
        }

        foreach (var hash in session.TokenHashes)
        {
            _sessions.TryRemove(new KeyValuePair<string, ResumableRelaySession>(hash, session));
        }
    }

    private static string HashOf(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
