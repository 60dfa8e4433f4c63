using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Protocol;
using CloudGateway.Relay;
using CloudGateway.Relay.Native;

namespace CloudGateway.Tests.Relay;

/// <summary>What only the native engine has: its selection, OpenSSL's certificate handling, and idle sessions that hold no buffer.</summary>
[Collection(RelayTestGroup.Name)]
public sealed class NativeEngineTests
{
    private const string Password = "native-password";

    [Fact]
    public async Task Automatic_OnLinuxWithOpenSsl3_SelectsTheNativeEngine()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        var host = await env.StartHostAsync(o => o with { Engine = RelayEngine.Automatic });
        Assert.Equal(NativeEngine.IsSupported ? RelayEngine.Native : RelayEngine.Managed, host.Engine);
        if (OperatingSystem.IsLinux() && File.Exists("/usr/lib/x86_64-linux-gnu/libssl.so.3"))
        {
            Assert.Equal(RelayEngine.Native, host.Engine);
        }
    }

    [Fact]
    public async Task Managed_Option_SelectsTheManagedEngine()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Password);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { Engine = RelayEngine.Managed });
        Assert.Equal(RelayEngine.Managed, host.Engine);
        await using var client = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw"), "acme", Password, "repo");
        Assert.True(client.Answer.Accepted);
    }

    [NativeEngineFact]
    public async Task IdleSessions_HoldNoRelayBuffer_AndBusyOnesGiveThemBack()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Password);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { Engine = RelayEngine.Native });
        var port = RelayTestEnvironment.PortOf(host, "gw");
        var clients = new List<RelayTestClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var client = await RelayTestClient.ConnectAsync(port, "acme", Password, "repo");
                clients.Add(client);
                var message = new byte[100_000];
                RandomNumberGenerator.Fill(message);
                await client.Tls.WriteAsync(message);
                var echoed = new byte[message.Length];
                await client.Tls.ReadExactlyAsync(echoed).AsTask().WaitAsync(RelayTestClient.Timeout);
                Assert.Equal(message, echoed);
            }

            await RelayTestEnvironment.WaitUntilAsync(() => ((NativeEngine)host.Relayer).BuffersLent == 0, TimeSpan.FromSeconds(5), "every idle session has given its buffers back");
            Assert.Equal(20, host.GetSessions().Count);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public void BufferPool_ReturnedBuffer_IsClearedBeforeReuse()
    {
        var pool = new BufferPool(4096);
        var buffer = pool.Rent();
        buffer.AsSpan(0, 1000).Fill(0xAB);
        pool.Return(buffer, 1000);
        var again = pool.Rent();
        Assert.Same(buffer, again);
        Assert.All(again.Take(1000), b => Assert.Equal(0, b));
        Assert.Equal(1, pool.Lent);
    }

    [NativeEngineFact]
    public async Task Tls12Client_RelaysBytes()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Password);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { Engine = RelayEngine.Native });
        var (socket, tls) = await RelayTestClient.OpenTlsAsync(RelayTestEnvironment.PortOf(host, "gw"), SslProtocols.Tls12);
        using (socket)
        await using (tls)
        {
            Assert.Equal(SslProtocols.Tls12, tls.SslProtocol);
            await AssertRelaysAsync(tls);
        }
    }

    [NativeEngineTheory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task Handshake_ClientPreferringAes256_GetsTheRelaysOrderAes128WhereTheCpuHasAes(SslProtocols protocol)
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        var host = await env.StartHostAsync(o => o with { Engine = RelayEngine.Native });
        var (socket, tls) = await RelayTestClient.OpenTlsAsync(RelayTestEnvironment.PortOf(host, "gw"), protocol);
        using (socket)
        await using (tls)
        {
            // .NET's client on OpenSSL offers AES-256-GCM first; the relay's preference decides.
            var expected = (TlsSuiteOrder.HardwareAes, protocol) switch
            {
                (true, SslProtocols.Tls13) => TlsCipherSuite.TLS_AES_128_GCM_SHA256,
                (false, SslProtocols.Tls13) => TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
                (true, _) => TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                _ => TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            };
            Assert.Equal(expected, tls.NegotiatedCipherSuite);
        }
    }

    [NativeEngineFact]
    public async Task RsaCertificate_IsServed()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=rsa.gateway.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.EphemeralKeySet);
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Password);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { Engine = RelayEngine.Native, Certificate = certificate });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, RelayTestEnvironment.PortOf(host, "gw")));
        await using var tls = new SslStream(new NetworkStream(socket), false);
        var thumbprint = certificate.GetCertHashString();
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "rsa.gateway.test",
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == thumbprint,
        }).WaitAsync(RelayTestClient.Timeout);
        await AssertRelaysAsync(tls);
    }

    [Fact]
    public async Task ResourceNamedByHostName_IsResolvedAndRelayed()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Password);
        env.Store.AddResource(new CloudGateway.Model.TenantResource { Tenant = "acme", Name = "named", TargetHost = "localhost", TargetPort = env.Backend.Port });
        var host = await env.StartHostAsync();
        var (socket, tls) = await RelayTestClient.OpenTlsAsync(RelayTestEnvironment.PortOf(host, "gw"));
        using (socket)
        await using (tls)
        {
            await AssertRelaysAsync(tls, "named");
        }
    }

    private static async Task AssertRelaysAsync(SslStream tls, string resource = "repo")
    {
        await tls.WriteAsync(FrameCodec.Encode(new Hello { Tenant = "acme", Password = Password, Resource = resource }));
        var buffer = new byte[WireProtocol.MaxFrameBytes];
        var (length, extra) = await FrameCodec.ReadFrameAsync(tls, buffer, CancellationToken.None).AsTask().WaitAsync(RelayTestClient.Timeout);
        Assert.Equal(0, extra);
        Assert.True(FrameCodec.DecodeAnswer(buffer.AsSpan(0, length)).Accepted);
        var message = "through the native engine"u8.ToArray();
        await tls.WriteAsync(message);
        var echoed = new byte[message.Length];
        await tls.ReadExactlyAsync(echoed).AsTask().WaitAsync(RelayTestClient.Timeout);
        Assert.Equal(message, echoed);
    }
}
