using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Relay;

/// <summary>
/// Counts refused password attempts per source address and refuses a source that reached the policy's threshold
/// within its window for the cooldown, before any password check. IPv4-mapped IPv6 addresses count as their IPv4
/// address and IPv6 addresses per /64 prefix. The table holds at most <see cref="SourceThrottlePolicy.MaxSources"/>
/// sources; when full, the source refused least recently is forgotten.
/// </summary>
internal sealed class SourceThrottle(SourceThrottlePolicy policy)
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, LinkedListNode<Source>> _sources = [];
    private readonly LinkedList<Source> _byLastFailure = new();

    /// <summary>How many sources the table holds now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sources.Count;
            }
        }
    }

    /// <summary>Until when <paramref name="remote"/> is refused, or null when it is not.</summary>
    public DateTimeOffset? BlockedUntil(EndPoint? remote, DateTimeOffset now)
    {
        if (KeyOf(remote) is not { } key)
        {
            return null;
        }

        lock (_gate)
        {
            return _sources.TryGetValue(key, out var node) && node.Value.BlockedUntil > now ? node.Value.BlockedUntil : null;
        }
    }

    /// <summary>Counts one refused attempt from <paramref name="remote"/>; returns the cooldown's end when this attempt started one.</summary>
    public DateTimeOffset? RecordFailure(EndPoint? remote, DateTimeOffset now)
    {
        if (KeyOf(remote) is not { } key)
        {
            return null;
        }

        lock (_gate)
        {
            if (_sources.TryGetValue(key, out var node))
            {
                _byLastFailure.Remove(node);
                _byLastFailure.AddLast(node);
            }
            else
            {
                if (_sources.Count >= policy.MaxSources)
                {
                    _sources.Remove(_byLastFailure.First!.Value.Address);
                    _byLastFailure.RemoveFirst();
                }

                node = _byLastFailure.AddLast(new Source(key, now));
                _sources[key] = node;
            }

            return node.Value.Fail(now, policy);
        }
    }

    /// <summary>The address a remote end point is counted under, or null when it has none.</summary>
    internal static IPAddress? KeyOf(EndPoint? remote)
    {
        if (remote is not IPEndPoint { Address: var address })
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    private sealed class Source(IPAddress address, DateTimeOffset now)
    {
        private DateTimeOffset _windowStart = now;
        private int _failures;

        public IPAddress Address { get; } = address;

        public DateTimeOffset? BlockedUntil { get; private set; }

        public DateTimeOffset? Fail(DateTimeOffset now, SourceThrottlePolicy policy)
        {
            if (BlockedUntil > now)
            {
                return null;
            }

            if (now - _windowStart >= policy.Window)
            {
                _windowStart = now;
                _failures = 0;
            }

            if (++_failures < policy.Threshold)
            {
                return null;
            }

            _windowStart = now;
            _failures = 0;
            BlockedUntil = now + policy.Cooldown;
            return BlockedUntil;
        }
    }
}
