using System.Net;
using System.Net.Sockets;
using CloudGateway.Client.Providers;
using CloudGateway.Service;
using CloudGateway.Storage.Postgres;
using CloudGateway.Storage.Sqlite;
using CloudGateway.Tests.Client;
using CloudGateway.Tests.Storage.Postgres;
using CloudGateway.Tunnels;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudGateway.Tests.Service;

public sealed class TunnelComponentTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Parse_TunnelAndRelayOff_ReadsEveryTunnel()
    {
        var options = ServiceOptions.Parse(["--relay", "off", "--tunnel", "sp:repo:10001", "--tunnel", "sp:db:0:::1"]);

        Assert.False(options.RunRelay);
        Assert.Equal(["sp:repo:10001:127.0.0.1", "sp:db:0:::1"], options.Tunnels.Select(t => t.ToString()));
    }

    [Fact]
    public void Parse_ResumableTunnel_MarksOnlyThatOneResumable()
    {
        var options = ServiceOptions.Parse(["--relay", "off", "--tunnel", "sp:repo:10001", "--resumable-tunnel", "sp:db:10002"]);

        Assert.Equal([false, true], options.Tunnels.Select(t => t.Resumable));
        Assert.Equal("sp:db:10002:127.0.0.1 (resumable)", options.Tunnels[1].ToString());
        Assert.Equal("--resumable-tunnel", Assert.Throws<GatewayException>(() => ServiceOptions.Parse(["--resumable-tunnel", "sp:db"])).Problems.Single().Field);
    }

    [Fact]
    public void Parse_BadTunnelsAndNothingToRun_ReportsEveryProblem()
    {
        var ex = Assert.Throws<GatewayException>(() => ServiceOptions.Parse(["--tunnel", "sp:repo", "--tunnel", "sp:repo:99999:nope"]));

        Assert.Equal(3, ex.Problems.Count);
        Assert.All(ex.Problems, p => Assert.Equal("--tunnel", p.Field));
        Assert.Equal("--relay", Assert.Throws<GatewayException>(() => ServiceOptions.Parse(["--relay", "off"])).Problems.Single().Field);
    }

    [Fact]
    public async Task StartAsync_ProviderInDatabase_CarriesConnectionsUntilStopped()
    {
        await using var gateway = new FakeGateway("gw-a");
        gateway.Gateways = [gateway.Endpoint()];
        var database = _folder.File("tenant.db");
        using (var store = SqliteProviderStore.Open(database))
        {
            await new ProviderOperations(store).AddAsync(
                new ProviderRegistration { Name = "sp", Address = "127.0.0.1", Port = gateway.Port, CertificateThumbprint = TestCertificates.Thumbprint(gateway.Certificate) },
                new NetworkCredential("acme", "s3cret"),
                CancellationToken.None).WaitAsync(Limit);
        }

        var options = ServiceOptions.Parse(["--database", database, "--relay", "off", "--tunnel", "sp:repo:0"]);
        await using var component = new TunnelComponent(options, NullLoggerFactory.Instance);
        await component.StartAsync(CancellationToken.None);
        var tunnel = Assert.Single(component.Tunnels);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(tunnel.LocalEndPoint).WaitAsync(Limit);
            await client.GetStream().WriteAsync(new byte[] { 4, 5 }).AsTask().WaitAsync(Limit);
            var back = new byte[2];
            await client.GetStream().ReadExactlyAsync(back).AsTask().WaitAsync(Limit);
            Assert.Equal(new byte[] { 4, 5 }, back);
        }

        await component.StopAsync(CancellationToken.None).WaitAsync(Limit);
        Assert.False(tunnel.IsRunning);
        Assert.Equal("gw-a", tunnel.CurrentGateway);
    }

    [PostgresFact]
    public void OpenProviderStore_ConnectionString_ReadsTheProvidersKeptInPostgres()
    {
        using var schema = new PostgresTestSchema();
        using (var store = PostgresProviderStore.Open(schema.ConnectionString, keyFile: _folder.File("shared.key")))
        {
            store.AddProvider(new CloudProvider { Name = "sp", Address = "127.0.0.1", TenantName = "acme" }, "s3cret");
        }

        var options = ServiceOptions.Parse(["--connection-string", schema.ConnectionString, "--relay", "off", "--tunnel", "sp:repo:0"]);
        using var providers = options.OpenProviderStore();

        Assert.Equal("sp", providers.GetProvider("sp").Name);
    }

    [Fact]
    public async Task StartAsync_UnknownProvider_ThrowsNotFound()
    {
        var options = ServiceOptions.Parse(["--database", _folder.File("tenant.db"), "--relay", "off", "--tunnel", "nobody:repo:0"]);
        await using var component = new TunnelComponent(options, NullLoggerFactory.Instance);

        var ex = await Assert.ThrowsAsync<GatewayException>(() => component.StartAsync(CancellationToken.None));

        Assert.Equal(GatewayErrorCode.NotFound, ex.Code);
    }
}
