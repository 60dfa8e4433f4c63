using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Protocol;

namespace CloudGateway.Tests.Client;

/// <summary>
/// A small TLS gateway on loopback speaking the wire protocol through FrameCodec, for client tests that need
/// behaviour the real relay would not show on demand. Accepted resource sessions echo every byte back (with a
/// half-close passed on). It records every hello it read, so a test can prove that none arrived.
/// </summary>
internal sealed class FakeGateway : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _sessions = [];
    private readonly List<TcpClient> _clients = [];
    private readonly Task _acceptLoop;
    private int _hellos;
    private int _accepted;
    private int _connections;

    public FakeGateway(string name, X509Certificate2? certificate = null)
    {
        Name = name;
        Certificate = certificate ?? TestCertificates.Gateway;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public string Name { get; }

    public int Port { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>The gateway list sent in accepted answers.</summary>
    public IReadOnlyList<GatewayEndpoint> Gateways { get; set; } = [];

    /// <summary>When set, the reason every hello is refused with.</summary>
    public string? RefuseWith { get; set; }

    /// <summary>When set, TCP connections are reset at once (a gateway whose service is down).</summary>
    public bool Down { get; set; }

    /// <summary>How the last session that failed ended, for diagnosing a failing test.</summary>
    public string? LastSessionError { get; private set; }

    public int HellosReceived => Volatile.Read(ref _hellos);

    public int SessionsAccepted => Volatile.Read(ref _accepted);

    public int ConnectionsSeen => Volatile.Read(ref _connections);

    public GatewayEndpoint Endpoint(bool fallback = false) => new(Name, "127.0.0.1", Port, fallback);

    /// <summary>Stops listening and cuts every live session, as if the process were killed.</summary>
    public async Task KillAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                Reset(client);
            }
        }

        await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(5));
    }

    // Linger 0 makes the close a reset, as when a process dies; a session closing at that moment is already gone.
    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await KillAsync();
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            if (Down)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            lock (_clients)
            {
                _clients.Add(client);
            }

            lock (_sessions)
            {
                _sessions.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = Certificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, _stopping.Token);
            var buffer = new byte[WireProtocol.MaxFrameBytes];
            var (length, _) = await FrameCodec.ReadFrameAsync(tls, buffer, _stopping.Token);
            var hello = FrameCodec.DecodeHello(buffer.AsSpan(0, length));
            Interlocked.Increment(ref _hellos);
            var answer = RefuseWith is { } reason
                ? HelloAnswer.Refuse(reason)
                : HelloAnswer.Accept(Guid.NewGuid().ToString("N"), Gateways);
            await tls.WriteAsync(FrameCodec.Encode(answer), _stopping.Token);
            if (!answer.Accepted || hello.ListOnly)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            await EchoAsync(tls, buffer, _stopping.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or AuthenticationException or ObjectDisposedException or GatewayException or SocketException)
        {
            // The peer went away or the gateway was killed: the session ends, as on a real gateway.
            LastSessionError = ex.GetType().Name;
        }
        finally
        {
            lock (_clients)
            {
                _clients.Remove(client);
            }

            client.Dispose();
        }
    }

    private static async Task EchoAsync(SslStream tls, byte[] buffer, CancellationToken cancellationToken)
    {
        int read;
        while ((read = await tls.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await tls.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        await tls.ShutdownAsync();
    }
}
