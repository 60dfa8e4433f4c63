using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using CloudGateway.Certificates;
using CloudGateway.Model;
using CloudGateway.Protocol;
using CloudGateway.Relay;
using CloudGateway.Security;
using CloudGateway.Storage;
using CloudGateway.Storage.Postgres;
using CloudGateway.Tests.Storage.Postgres;
using Xunit.Abstractions;

namespace CloudGateway.Tests.Relay;

/// <summary>
/// Three gateway servers (three relay hosts, each with its own PostgreSQL store) presenting the configuration's own
/// certificate: a successor staged and a switch made through any one of them reach all three together.
/// </summary>
public sealed class MultiServerCertificateRolloverTests(ITestOutputHelper output) : IAsyncDisposable
{
    private const string Password = "estate-password-1";
    private static readonly string[] Servers = ["server-a", "server-b", "server-c"];
    private readonly TempFolder _folder = new();
    private readonly EchoBackend _backend = new();
    private readonly List<PostgresConfigurationStore> _stores = [];
    private readonly List<RelayHost> _hosts = [];
    private PostgresTestSchema? _schema;

    [PostgresFact]
    public async Task StageAndSwitchThroughOneServer_AllThreeAnnounceThenPresentTheSuccessorWithinTwoSeconds()
    {
        await StartEstateAsync();
        var manager = new GatewayCertificateManager(_stores[0]);
        var old = _hosts[0].CertificateThumbprint;
        foreach (var (host, server) in _hosts.Zip(Servers))
        {
            // The first hello runs the full password check; later ones are proven at once, so the timings below are propagation.
            Assert.Null((await HelloAsync(PortOf(host, server))).Answer.NextCertificate);
        }

        var clock = Stopwatch.StartNew();
        var next = manager.Create(new NewCertificateOptions { IPAddresses = ["127.0.0.1"] }, force: false, CertificateSlot.Next).Thumbprint;
        foreach (var (host, server) in _hosts.Zip(Servers))
        {
            Assert.True(await WithinTwoSecondsAsync(async () => (await HelloAsync(PortOf(host, server))).Answer.NextCertificate == next), $"{server} announces the successor");
        }

        output.WriteLine($"staged through server A: announced by all three after {clock.Elapsed.TotalMilliseconds:F0} ms");
        clock.Restart();
        new GatewayCertificateManager(_stores[1]).Switch(rollback: false);
        foreach (var (host, server) in _hosts.Zip(Servers))
        {
            Assert.True(await WithinTwoSecondsAsync(async () => (await HelloAsync(PortOf(host, server))).Presented == next), $"{server} presents the successor");
            Assert.Equal(next, host.CertificateThumbprint);
        }

        output.WriteLine($"switched through server B: presented by all three after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.NotEqual(old, next);
        Assert.Equal(next, _stores[2].GetCertificateState().LearnedByTenant["acme"]);
        Assert.Equal(old, _stores[2].GetCertificateState().Previous);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync(TimeSpan.Zero).WaitAsync(TimeSpan.FromSeconds(30));
        }

        _stores.ForEach(store => store.Dispose());
        await _backend.DisposeAsync();
        _schema?.Dispose();
        _folder.Dispose();
    }

    private static int PortOf(RelayHost host, string server) => RelayTestEnvironment.PortOf(host, "gw-" + server[^1]);

    private static async Task<bool> WithinTwoSecondsAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(2))
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>A list-only hello over TLS that trusts any certificate and reports the one presented with the answer.</summary>
    private static async Task<(string Presented, HelloAnswer Answer)> HelloAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(RelayTestClient.Timeout);
        string? presented = null;
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => (presented = certificate?.GetCertHashString(HashAlgorithmName.SHA256)) is not null,
        }).WaitAsync(RelayTestClient.Timeout);
        await tls.WriteAsync(FrameCodec.Encode(new Hello { Tenant = "acme", Password = Password, ListOnly = true })).AsTask().WaitAsync(RelayTestClient.Timeout);
        var buffer = new byte[WireProtocol.MaxFrameBytes];
        var (length, _) = await FrameCodec.ReadFrameAsync(tls, buffer, CancellationToken.None).AsTask().WaitAsync(RelayTestClient.Timeout);
        var answer = FrameCodec.DecodeAnswer(buffer.AsSpan(0, length));
        Assert.True(answer.Accepted, answer.Reason);
        return (presented!, answer);
    }

    // One schema, one key file shared by the three servers, each with its own store and host; polling every 10 s, so
    // only PostgreSQL's change notifications can bring a change within 2 s.
    private async Task StartEstateAsync()
    {
        _schema = new PostgresTestSchema();
        var key = _folder.File("shared.key");
        foreach (var _ in Servers)
        {
            _stores.Add(PostgresConfigurationStore.Open(_schema.ConnectionString, keyFile: key));
        }

        foreach (var server in Servers)
        {
            _stores[0].AddGateway(new Gateway { Name = "gw-" + server[^1], Address = "127.0.0.1", Server = server });
        }

        _stores[0].AddTenant(new Tenant { Name = "acme" }, PasswordHasher.Hash(Password));
        _stores[0].AddResource(new TenantResource { Tenant = "acme", Name = "echo", TargetHost = "127.0.0.1", TargetPort = _backend.Port });
        new GatewayCertificateManager(_stores[0]).Create(new NewCertificateOptions { IPAddresses = ["127.0.0.1"] }, force: false);
        foreach (var (store, server) in _stores.Zip(Servers))
        {
            _hosts.Add(await RelayHost.StartAsync(store, new RelayHostOptions
            {
                ServerName = server,
                Engine = TestRelayEngine.Selected,
                ListenAddressOverride = IPAddress.Loopback,
                ListenPortOverride = 0,
                DrainTimeout = TimeSpan.FromSeconds(1),
                ConfigurationPollInterval = TimeSpan.FromSeconds(10),
            }));
        }
    }
}
