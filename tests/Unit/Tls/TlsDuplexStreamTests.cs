using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using CloudGateway.Tests.Client;
using CloudGateway.Tls;

namespace CloudGateway.Tests.Tls;

public sealed class TlsDuplexStreamTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ShutdownAsync_WhileAReadWaitsForTheNetwork_SendsCloseNotifyAndTheReadGoesOn()
    {
        var (client, server) = await ConnectAsync();
        using (client)
        using (server)
        {
            var buffer = new byte[16];
            var pending = client.ReadAsync(buffer).AsTask();

            await client.ShutdownAsync().WaitAsync(Limit);
            Assert.Equal(0, await server.ReadAsync(new byte[16]).AsTask().WaitAsync(Limit));
            Assert.False(pending.IsCompleted);

            await server.WriteAsync(Encoding.ASCII.GetBytes("abc")).AsTask().WaitAsync(Limit);
            await server.ShutdownAsync().WaitAsync(Limit);
            var read = await pending.WaitAsync(Limit);
            Assert.Equal("abc", Encoding.ASCII.GetString(buffer, 0, read));
            Assert.Equal(0, await client.ReadAsync(buffer).AsTask().WaitAsync(Limit));
        }
    }

    [Fact]
    public async Task ReadAsync_ManyRecordsWhileTheOtherSideCloses_ReadsEveryByte()
    {
        var (client, server) = await ConnectAsync();
        using (client)
        using (server)
        {
            var sent = new byte[1024 * 1024];
            new Random(3).NextBytes(sent);
            var serving = Task.Run(async () =>
            {
                await server.WriteAsync(sent);
                await server.ShutdownAsync();
            });
            using var received = new MemoryStream();
            var reading = client.CopyToAsync(received);

            await client.ShutdownAsync().WaitAsync(Limit);
            await Task.WhenAll(serving, reading).WaitAsync(Limit);

            Assert.True(received.ToArray().AsSpan().SequenceEqual(sent));
            Assert.Equal(0, await server.ReadAsync(new byte[16]).AsTask().WaitAsync(Limit));
        }
    }

    // A client TlsDuplexStream and a plain server SslStream over a loopback TCP connection, both authenticated.
    private static async Task<(TlsDuplexStream Client, SslStream Server)> ConnectAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clientSocket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await clientSocket.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var serverSocket = await listener.AcceptSocketAsync();
        var client = new TlsDuplexStream(new NetworkStream(clientSocket, ownsSocket: true));
        var server = new SslStream(new NetworkStream(serverSocket, ownsSocket: true));
        await Task.WhenAll(
            client.Tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == TestCertificates.Gateway.Thumbprint,
            }),
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = TestCertificates.Gateway })).WaitAsync(Limit);
        return (client, server);
    }
}
