using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using CloudGateway.Protocol;

namespace CloudGateway.Tests.Relay;

/// <summary>A tenant's side of the wire protocol for tests: TCP, TLS, one hello, one answer, then the raw stream.</summary>
internal sealed class RelayTestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private RelayTestClient(Socket socket, SslStream tls, HelloAnswer answer, byte[] answerFrame)
    {
        Socket = socket;
        Tls = tls;
        Answer = answer;
        AnswerFrame = answerFrame;
    }

    public Socket Socket { get; }

    public SslStream Tls { get; }

    public HelloAnswer Answer { get; }

    /// <summary>The answer exactly as it came over the wire, line feed included.</summary>
    public byte[] AnswerFrame { get; }

    public static Task<RelayTestClient> ConnectAsync(int port, string tenant, string password, string? resource, byte[]? pipelined = null, IPAddress? from = null) =>
        ConnectAsync(port, FrameCodec.Encode(new Hello { Tenant = tenant, Password = password, Resource = resource, ListOnly = resource is null }), pipelined, from);

    /// <summary>Connects from <paramref name="from"/> (a loopback address; default 127.0.0.1), sends the hello and reads the answer.</summary>
    public static async Task<RelayTestClient> ConnectAsync(int port, byte[] helloFrame, byte[]? pipelined = null, IPAddress? from = null)
    {
        var (socket, tls) = await OpenTlsAsync(port, from: from);
        byte[] first = pipelined is null ? helloFrame : [.. helloFrame, .. pipelined];
        await tls.WriteAsync(first).AsTask().WaitAsync(Timeout);
        var frame = await ReadAnswerFrameAsync(tls).WaitAsync(Timeout);
        var answer = FrameCodec.DecodeAnswer(frame.AsSpan(0, frame.Length - 1));
        return new RelayTestClient(socket, tls, answer, frame);
    }

    // One byte at a time, so the bytes the resource sent right after the answer stay in the stream for the test.
    private static async Task<byte[]> ReadAnswerFrameAsync(SslStream tls)
    {
        var frame = new List<byte>();
        var one = new byte[1];
        while (frame.Count < WireProtocol.MaxFrameBytes)
        {
            if (await tls.ReadAsync(one) == 0)
            {
                throw new IOException("the gateway closed the connection before its answer ended");
            }

            frame.Add(one[0]);
            if (one[0] == (byte)'\n')
            {
                return [.. frame];
            }
        }

        throw new IOException("the gateway's answer is longer than a frame");
    }

    public static async Task<(Socket Socket, SslStream Tls)> OpenTlsAsync(int port, SslProtocols protocols = SslProtocols.None, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Timeout);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), false);
        var expected = TestCertificates.Thumbprint;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "gateway.test",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expected,
        };
        await tls.AuthenticateAsClientAsync(options).WaitAsync(Timeout);
        return (socket, tls);
    }

    /// <summary>Reads until the gateway ends the stream; returns how many bytes came.</summary>
    public async Task<long> ReadToEndAsync(TimeSpan? timeout = null)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        while (true)
        {
            var read = await Tls.ReadAsync(buffer, cts.Token);
            if (read == 0)
            {
                return total;
            }

            total += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Tls.DisposeAsync();
        Socket.Dispose();
    }
}
