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

    /// <summary>Gives <paramref name="session"/> a new resume token, which the old one no longer reaches; returns it.</summary>
    public string IssueToken(ResumableRelaySession session)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hash = HashOf(token);
        _sessions[hash] = session;
        var previous = session.TokenHash;
        session.TokenHash = hash;
        if (previous.Length > 0)
        {
            _sessions.TryRemove(new KeyValuePair<string, ResumableRelaySession>(previous, session));
        }

        return token;
    }

    /// <summary>The session <paramref name="token"/> resumes, or null.</summary>
    public ResumableRelaySession? Find(string token) => _sessions.TryGetValue(HashOf(token), out var session) ? session : null;

    /// <summary>The tenant whose session <paramref name="token"/> resumed until its grace period ran out, or null.</summary>
    public Guid? ExpiredTenant(string token) => _expired.TryGetValue(HashOf(token), out var expired) ? expired.Tenant : null;

    /// <summary>Forgets <paramref name="session"/>, remembering its token a while when its grace period ran out.</summary>
    public void Remove(ResumableRelaySession session, bool expired, DateTimeOffset now)
    {
        _sessions.TryRemove(new KeyValuePair<string, ResumableRelaySession>(session.TokenHash, session));
        if (!expired)
        {
            return;
        }

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

        _expired[session.TokenHash] = (session.Identity.TenantId, now);
    }

    private static string HashOf(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
