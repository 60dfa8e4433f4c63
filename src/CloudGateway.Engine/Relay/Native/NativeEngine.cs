using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Relay.Native;

/// <summary>
/// The native relay engine of one host (Linux with OpenSSL 3): one event loop per processor and the OpenSSL
/// context with the gateway certificate. It relays like HAProxy does: each connection lives on one thread that
/// reads and writes its sockets as they become ready, and TLS runs straight on the client's socket.
/// </summary>
internal sealed class NativeEngine : IRelayEngine
{
    /// <summary>The relay buffer: four TLS records, so one write or read moves up to 64 KiB.</summary>
    public const int BufferSize = 64 * 1024;

    private static readonly Lazy<bool> Available = new(OpenSsl.IsAvailable);
    private readonly EventLoop[] _loops;

    // Contexts replaced by a certificate switch: a listener may have read one just before the switch and still be
    // about to create a session on it, so they are freed with the engine (a switch is rare; each is a few KiB).
    private readonly List<TlsServerContext> _replaced = [];
    private TlsServerContext _tls;

    private NativeEngine(TlsServerContext tls, EventLoop[] loops)
    {
        _tls = tls;
        _loops = loops;
    }

    /// <summary>Whether this process can run the native engine: Linux, and OpenSSL 3 loadable.</summary>
    public static bool IsSupported => Available.Value;

    /// <summary>The TLS context a connection accepted now is given.</summary>
    public TlsServerContext Tls => Volatile.Read(ref _tls);

    public RelayEngine Kind => RelayEngine.Native;

    /// <summary>How many relay buffers the engine's connections hold now: none while every session is idle.</summary>
    public int BuffersLent => _loops.Sum(l => l.Buffers.Lent);

    /// <summary>Builds the TLS context and starts the loops; throws a <see cref="GatewayException"/> when it cannot.</summary>
    public static NativeEngine Start(X509Certificate2 certificate, ILogger logger)
    {
        if (!IsSupported)
        {
            throw new GatewayException(GatewayErrorCode.PlatformNotSupported, "The native relay engine needs Linux with OpenSSL 3 (libssl.so.3); use the managed engine.");
        }

        var tls = TlsServerContext.Create(certificate);
        var loops = new List<EventLoop>();
        try
        {
            for (var i = 0; i < Environment.ProcessorCount; i++)
            {
                loops.Add(new EventLoop($"CloudGateway relay loop {i}", BufferSize, logger));
            }

            return new NativeEngine(tls, [.. loops]);
        }
        catch
        {
            loops.ForEach(l => l.Dispose());
            tls.Dispose();
            throw;
        }
    }

    /// <summary>Builds a context for <paramref name="certificate"/> and gives it to the connections accepted from now on; a session holds a reference to its own context.</summary>
    public void UseCertificate(X509Certificate2 certificate, SslServerAuthenticationOptions managedTls)
    {
        var tls = TlsServerContext.Create(certificate);
        lock (_replaced)
        {
            _replaced.Add(Interlocked.Exchange(ref _tls, tls));
        }
    }

    /// <summary>Starts accepting on <paramref name="socket"/> (bound and listening) for <paramref name="gateway"/>.</summary>
    public IRelayListener Listen(ConnectionContext context, GatewayRuntime gateway, Socket socket) => new NativeListener(context, gateway, socket, _loops, this);

    /// <summary>Posts a no-op to every loop; completes when all of them have run it.</summary>
    public Task WhenResponsiveAsync() => Task.WhenAll(_loops.Select(loop =>
    {
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(() => ran.TrySetResult());
        return ran.Task;
    }));

    /// <summary>Stops the loops (every connection must have ended) and frees the TLS context.</summary>
    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }

        Tls.Dispose();
        lock (_replaced)
        {
            _replaced.ForEach(tls => tls.Dispose());
        }
    }
}
