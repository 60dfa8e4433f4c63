using System.Net;
using CloudGateway.Client;
using CloudGateway.Client.Providers;
using CloudGateway.Model;
using CloudGateway.Relay;
using CloudGateway.Security;
using CloudGateway.Storage;
using CloudGateway.Storage.Sqlite;
using CloudGateway.Tests.Relay;

namespace CloudGateway.Tests.Client.EndToEnd;

/// <summary>
/// A service provider and a tenant on loopback, each with its own real SQLite file: the SP's configuration with
/// gateways on free loopback ports served by real relay hosts, an echo resource, and the tenant's provider store.
/// </summary>
internal sealed class SpWorld : IAsyncDisposable
{
    public const string Tenant = "acme";
    public const string Password = "tenant-password-1";
    public const string Resource = "repo";
    private const string Server = "e2e-server";
    private readonly TempFolder _folder = new();
    private readonly List<RelayHost> _hosts = [];

    public SpWorld()
    {
        Sp = ConfigurationDatabase.Open(_folder.File("sp.db"));
        Tenants = SqliteProviderStore.Open(_folder.File("tenant.db"));
        Providers = new ProviderOperations(Tenants);
    }

    public IConfigurationStore Sp { get; }

    public SqliteProviderStore Tenants { get; }

    public ProviderOperations Providers { get; }

    public EchoBackend Backend { get; } = new();

    /// <summary>Whether relays started from now on present the configuration's own certificate (and follow its switches) instead of the fixed test one.</summary>
    public bool UseStoredCertificate { get; set; }

    public Gateway AddGateway(string name)
    {
        var port = SilentEndpoints.RefusingPort();
        return Sp.AddGateway(new Gateway { Name = name, Address = "127.0.0.1", ListenAddress = "127.0.0.1", Port = port, InternalPort = port, Server = Server });
    }

    public void AddTenant(bool failover, params string[] pools)
    {
        Sp.AddTenant(new Tenant { Name = Tenant, GatewaySelection = pools.Length > 0 ? GatewaySelection.Pools : GatewaySelection.Standalone, Pools = pools, GatewayFailover = failover }, PasswordHasher.Hash(Password));
        Sp.AddResource(new TenantResource { Tenant = Tenant, Name = Resource, TargetHost = "127.0.0.1", TargetPort = Backend.Port });
    }

    /// <summary>Starts one relay host serving the named gateways (all of this server's when none are named).</summary>
    public Task<RelayHost> StartRelayAsync(params string[] gateways) => StartRelayAsync(10_000, gateways);

    /// <summary>Starts one relay host serving the named gateways, each taking at most <paramref name="maxConnections"/> connections.</summary>
    public async Task<RelayHost> StartRelayAsync(int maxConnections, params string[] gateways)
    {
        var host = await RelayHost.StartAsync(Sp, new RelayHostOptions
        {
            ServerName = Server,
            Gateways = gateways.Length > 0 ? gateways : null,
            Certificate = UseStoredCertificate ? null : TestCertificates.Gateway,
            Engine = TestRelayEngine.Selected,
            ConfigurationPollInterval = TimeSpan.FromMilliseconds(100),
            DrainTimeout = TimeSpan.FromSeconds(1),
            MaxConnectionsPerGateway = maxConnections,
        });
        _hosts.Add(host);
        return host;
    }

    /// <summary>Waits until every relay started here has applied the provider's last configuration change.</summary>
    public async Task WaitForRelaysAsync()
    {
        var counter = Sp.GetChangeCounter();
        await RelayTestEnvironment.WaitUntilAsync(() => _hosts.All(h => h.ConfigurationChangeCounter >= counter), TimeSpan.FromSeconds(10), "the relays applied the change");
    }

    public Task<CloudProvider> AddProviderAsync(string initialGateway) => AddProviderAsync(initialGateway, TestCertificates.Thumbprint(TestCertificates.Gateway));

    public Task<CloudProvider> AddProviderAsync(string initialGateway, string thumbprint) => Providers.AddAsync(
        new ProviderRegistration { Name = "sp", Address = "127.0.0.1", Port = Sp.GetGateway(initialGateway).Port, CertificateThumbprint = thumbprint },
        new NetworkCredential(Tenant, Password),
        CancellationToken.None);

    public static async Task<string> OpenAndEchoAsync(GatewayClient client)
    {
        await using var stream = await client.OpenResourceAsync(Resource, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        var sent = Guid.NewGuid().ToByteArray();
        await stream.WriteAsync(sent);
        var back = new byte[sent.Length];
        await stream.ReadExactlyAsync(back).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(sent, back);
        return stream.Gateway.Name;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync(TimeSpan.Zero).WaitAsync(TimeSpan.FromSeconds(30));
        }

        await Backend.DisposeAsync();
        Tenants.Dispose();
        Sp.Dispose();
        _folder.Dispose();
    }
}
