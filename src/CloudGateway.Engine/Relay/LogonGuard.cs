using System.Net;
using CloudGateway.Storage;

namespace CloudGateway.Relay;

/// <summary>
/// What one relay host remembers about logons by tenant name and source address (see <see cref="SourceThrottle.KeyOf"/>):
/// each source's recent wrong passwords for a name and its lock, which sources a name's recent failures came from,
/// and which sources logged on as a tenant recently. Names need not exist, so an unknown tenant is treated exactly
/// like a known one. Each table holds at most a fixed number of entries and forgets the least recently used.
/// </summary>
internal sealed class LogonGuard(LockoutPolicy policy, int capacity)
{
    /// <summary>How many entries each table holds at most.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly object _gate = new();
    private readonly BoundedTable<Pair, SourceFailures> _sources = new(capacity);
    private readonly BoundedTable<string, NameFailures> _names = new(capacity, StringComparer.OrdinalIgnoreCase);
    private readonly BoundedTable<Pair, DateTimeOffset> _trusted = new(capacity);

    /// <summary>The locks that apply to a hello for <paramref name="name"/> from <paramref name="source"/> now.</summary>
    public LogonState Check(string name, IPAddress source, DateTimeOffset now)
    {
        var pair = new Pair(name, source);
        lock (_gate)
        {
            var sourceLock = _sources.TryGet(pair, out var failures) && failures.LockedUntil > now ? failures.LockedUntil : null;
            var nameLock = _names.TryGet(name, out var named) && named.LockedUntil > now ? named.LockedUntil : null;
            var trusted = _trusted.TryGet(pair, out var until) && until > now;
            return new LogonState(sourceLock, nameLock, trusted);
        }
    }

    /// <summary>Counts one wrong password for <paramref name="name"/> from <paramref name="source"/>; locks the source or the name when the policy says so.</summary>
    public LogonFailure RecordFailure(string name, IPAddress source, DateTimeOffset now)
    {
        lock (_gate)
        {
            var failures = _sources.GetOrAdd(new Pair(name, source), () => new SourceFailures());
            failures.Count = now - failures.Last <= policy.Window ? failures.Count + 1 : 1;
            failures.Last = now;
            DateTimeOffset? sourceLocked = null;
            if (failures.Count >= policy.SourceThreshold)
            {
                failures.Count = 0;
                sourceLocked = failures.LockedUntil = now + policy.Duration;
            }

            var named = _names.GetOrAdd(name, () => new NameFailures());
            if (now - named.Last > policy.Window)
            {
                named.Count = 0;
                named.Sources.Clear();
            }

            named.Count++;
            named.Last = now;
            if (named.Sources.Count < policy.Sources)
            {
                named.Sources.Add(source);
            }

            return new LogonFailure(sourceLocked, named.Count, named.Sources.Count);
        }
    }

    /// <summary>Locks <paramref name="name"/> on this host for every source not trusted, until <paramref name="until"/>.</summary>
    public void LockName(string name, DateTimeOffset until)
    {
        lock (_gate)
        {
            _names.GetOrAdd(name, () => new NameFailures()).LockedUntil = until;
        }
    }

    /// <summary>
    /// Trusts <paramref name="source"/> for <paramref name="name"/> after a right password and forgets its failures;
    /// with <paramref name="forgiveName"/>, forgets the name's failures from every source too (the store's count was reset).
    /// </summary>
    public void RecordSuccess(string name, IPAddress source, DateTimeOffset now, bool forgiveName)
    {
        var pair = new Pair(name, source);
        lock (_gate)
        {
            _sources.Remove(pair);
            _trusted.Set(pair, now + policy.TrustDuration);
            if (forgiveName)
            {
                _names.Remove(name);
            }
        }
    }

    /// <summary>Forgets every failure and lock of <paramref name="name"/> (the tenant was unlocked); trusted sources stay trusted.</summary>
    public void Clear(string name)
    {
        lock (_gate)
        {
            _names.Remove(name);
            _sources.RemoveWhere(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>A tenant name (compared without case) and a source address.</summary>
    private readonly record struct Pair
    {
        public Pair(string name, IPAddress source) => (Name, Source) = (name.ToUpperInvariant(), source);

        public string Name { get; }

        public IPAddress Source { get; }
    }

    private sealed class SourceFailures
    {
        public int Count { get; set; }

        public DateTimeOffset Last { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset? LockedUntil { get; set; }
    }

    private sealed class NameFailures
    {
        public int Count { get; set; }

        public DateTimeOffset Last { get; set; } = DateTimeOffset.MinValue;

        public HashSet<IPAddress> Sources { get; } = [];

        public DateTimeOffset? LockedUntil { get; set; }
    }
}

/// <summary>The locks on one name and source: the source's own lock, a lock of the name on this host, and whether the source is trusted.</summary>
internal readonly record struct LogonState(DateTimeOffset? SourceLockedUntil, DateTimeOffset? NameLockedUntil, bool Trusted);

/// <summary>After one wrong password: the lock of the source if it began now, and the name's failures and distinct sources within the window on this host.</summary>
internal readonly record struct LogonFailure(DateTimeOffset? SourceLockedUntil, int Failures, int Sources);
