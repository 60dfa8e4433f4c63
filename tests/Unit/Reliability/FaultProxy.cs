using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Tests.Reliability;

/// <summary>The fault a <see cref="FaultProxy"/> injects into every connection it carries.</summary>
/// <param name="Latency">Delay added before each chunk is forwarded, in either direction.</param>
/// <param name="ResetAfterBytes">Reset both sides once this many bytes (both directions together) went through.</param>
/// <param name="FreezeAfterBytes">Stop forwarding, sockets left open, once this many bytes went through.</param>
/// <param name="DripBytes">Forward at most this many bytes per chunk, with <see cref="DripDelay"/> between chunks.</param>
/// <param name="DripDelay">Pause between dripped chunks.</param>
internal sealed record Fault(
    TimeSpan Latency = default,
    long? ResetAfterBytes = null,
    long? FreezeAfterBytes = null,
    int? DripBytes = null,
    TimeSpan DripDelay = default)
{
    public static readonly Fault None = new();

    public override string ToString() =>
        ResetAfterBytes is { } r ? $"reset after {r} B" :
        FreezeAfterBytes is { } f ? $"freeze after {f} B" :
        DripBytes is { } d ? $"drip {d} B every {DripDelay.TotalMilliseconds} ms" :
        Latency > TimeSpan.Zero ? $"latency {Latency.TotalMilliseconds} ms per chunk" : "none";
}

/// <summary>
/// A TCP proxy on loopback for fault tests: forwards every accepted connection to a target port, injecting the
/// configured <see cref="Fault"/> (latency, reset after N bytes, freeze, slow drip). Disposing it resets every
/// connection it carries, as a dying peer would.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pairs = [];
    private readonly List<Socket> _sockets = [];
    private readonly int _targetPort;
    private readonly Task _acceptLoop;
    private int _disposed;

    public FaultProxy(int targetPort, Fault fault)
    {
        _targetPort = targetPort;
        Fault = fault;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1024);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>The fault applied to connections accepted from now on.</summary>
    public Fault Fault { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10));
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                Reset(socket);
            }
        }

        Task[] pairs;
        lock (_pairs)
        {
            pairs = [.. _pairs];
        }

        await Task.WhenAll(pairs).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
            // Already closed by its pump.
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_pairs)
            {
                _pairs.RemoveAll(t => t.IsCompleted);
                _pairs.Add(CarryAsync(client, Fault));
            }
        }
    }

    private async Task CarryAsync(Socket client, Fault fault)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        lock (_sockets)
        {
            _sockets.Add(client);
            _sockets.Add(server);
        }

        try
        {
            await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _targetPort), _stop.Token);
            var state = new PairState(fault);
            using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = PumpAsync(client, server, state, cut);
            var down = PumpAsync(server, client, state, cut);
            await Task.WhenAll(up, down);
            if (state.Reset)
            {
                Reset(client);
                Reset(server);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            Reset(client);
            Reset(server);
        }
        finally
        {
            client.Dispose();
            server.Dispose();
            lock (_sockets)
            {
                _sockets.Remove(client);
                _sockets.Remove(server);
            }
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, PairState state, CancellationTokenSource cut)
    {
        var fault = state.Fault;
        var buffer = new byte[fault.DripBytes ?? 16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cut.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    if (state.Frozen)
                    {
                        await cut.CancelAsync();
                    }

                    return;
                }

                var total = Interlocked.Add(ref state.Bytes, read);
                if (fault.ResetAfterBytes is { } resetAt && total >= resetAt)
                {
                    state.Reset = true;
                    await cut.CancelAsync();
                    return;
                }

                if (fault.FreezeAfterBytes is { } freezeAt && total >= freezeAt)
                {
                    // Frozen: nothing more is forwarded, both sockets stay open until a peer closes or the proxy goes.
                    state.Frozen = true;
                    await Task.Delay(Timeout.Infinite, cut.Token);
                }

                if (fault.Latency > TimeSpan.Zero)
                {
                    await Task.Delay(fault.Latency, cut.Token);
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cut.Token);
                if (fault.DripBytes is not null)
                {
                    await Task.Delay(fault.DripDelay, cut.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            await cut.CancelAsync();
        }
    }

    private sealed class PairState(Fault fault)
    {
        public Fault Fault { get; } = fault;

        public long Bytes;

        public volatile bool Reset;

        public volatile bool Frozen;
    }
}
