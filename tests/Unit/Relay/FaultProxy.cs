using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Tests.Relay;

/// <summary>
/// A TCP proxy on loopback in front of a gateway that breaks every connection through it on demand, as a failing
/// WAN path would: the tenant's side is reset, and the gateway's side is either closed too or left open and silent
/// (a NAT that dropped the flow), so the gateway learns of the break only when the tenant resumes.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly int _target;
    private readonly ConcurrentDictionary<int, Link> _links = new();
    private readonly ConcurrentBag<Socket> _silent = [];
    private readonly Task _accepting;
    private int _next;

    public FaultProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Breaks every connection open now; with <paramref name="silently"/> the gateway's side stays open and hears nothing.</summary>
    public int Cut(bool silently = false)
    {
        var cut = 0;
        foreach (var (id, link) in _links)
        {
            if (!_links.TryRemove(id, out _))
            {
                continue;
            }

            link.Tenant.LingerState = new LingerOption(true, 0);
            link.Tenant.Dispose();
            if (silently)
            {
                _silent.Add(link.Gateway);
            }
            else
            {
                link.Gateway.Dispose();
            }

            cut++;
        }

        return cut;
    }

    /// <summary>Makes every connection open now go silent both ways, nothing closed: a path that died without a reset.</summary>
    public int Freeze()
    {
        foreach (var link in _links.Values)
        {
            link.Frozen = true;
        }

        return _links.Count;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        Cut();
        foreach (var socket in _silent)
        {
            socket.Dispose();
        }

        await _accepting.ConfigureAwait(false);
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket tenant;
            try
            {
                tenant = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            var gateway = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await gateway.ConnectAsync(IPAddress.Loopback, _target).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                tenant.Dispose();
                gateway.Dispose();
                continue;
            }

            var id = Interlocked.Increment(ref _next);
            var link = new Link(tenant, gateway);
            _links[id] = link;
            _ = PumpAsync(id, link, tenant, gateway);
            _ = PumpAsync(id, link, gateway, tenant);
        }
    }

    private async Task PumpAsync(int id, Link link, Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)) > 0)
            {
                if (!link.Frozen)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
                }
            }

            to.Shutdown(SocketShutdown.Send);
            if (Interlocked.Increment(ref link.Ended) < 2)
            {
                return; // The other way may go on.
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Cut, or reset by one side: the other side is closed too.
        }

        if (_links.TryRemove(id, out _))
        {
            link.Tenant.Dispose();
            link.Gateway.Dispose();
        }
    }

    private sealed class Link(Socket tenant, Socket gateway)
    {
        public int Ended;

        public volatile bool Frozen;

        public Socket Tenant { get; } = tenant;

        public Socket Gateway { get; } = gateway;
    }
}
