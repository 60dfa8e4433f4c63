using System.Collections.Concurrent;
using System.Net;
using CloudGateway.Model;
using CloudGateway.Relay;
using CloudGateway.Security;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Relay;

/// <summary>
/// One relay test's world: a configuration store, an echo resource on loopback, and helpers to add gateways,
/// pools, tenants and resources and to start a relay host whose listeners bind free loopback ports.
/// </summary>
internal sealed class RelayTestEnvironment : IAsyncDisposable
{
    public const string Server = "relay-test-server";

    private static readonly ConcurrentDictionary<string, string> Hashes = new();
    private readonly List<RelayHost> _hosts = [];

    public RelayTestEnvironment()
    {
        Folder = Directory.CreateTempSubdirectory("cloudgateway-relay-").FullName;
        Store = new FlakyStore(ConfigurationDatabase.Open(Path.Combine(Folder, "cloudgateway.db")));
    }

    public string Folder { get; }

    public FlakyStore Store { get; }

    public EchoBackend Backend { get; } = new();

    public CapturingLoggerFactory Log { get; } = new();

    public int HashChecks => Volatile.Read(ref _hashChecks);

    private int _hashChecks;

    /// <summary>PBKDF2 at full cost, once per distinct password in the test run.</summary>
    public static string HashPassword(string password) => Hashes.GetOrAdd(password, PasswordHasher.Hash);

    public Gateway AddGateway(string name, bool enabled = true, string? server = Server, int port = 6180) =>
        Store.AddGateway(new Gateway { Name = name, Address = name + ".example.test", Port = port, InternalPort = port, Enabled = enabled, Server = server ?? Server });

    public GatewayPool AddPool(string name, params string[] members) => Store.AddPool(new GatewayPool { Name = name, Members = members });

    public Tenant AddTenant(string name, string password, Func<Tenant, Tenant>? configure = null)
    {
        var tenant = new Tenant { Name = name };
        return Store.AddTenant(configure is null ? tenant : configure(tenant), HashPassword(password));
    }

    public TenantResource AddResource(string tenant, string name, int? port = null) =>
        Store.AddResource(new TenantResource { Tenant = tenant, Name = name, TargetHost = "127.0.0.1", TargetPort = port ?? Backend.Port });

    /// <summary>Starts a host on free loopback ports; <paramref name="verifyHash"/> replaces the counted PBKDF2 check.</summary>
    public async Task<RelayHost> StartHostAsync(Func<RelayHostOptions, RelayHostOptions>? configure = null, Func<string, string, bool>? verifyHash = null, TimeProvider? timeProvider = null)
    {
        var options = new RelayHostOptions
        {
            ServerName = Server,
            Certificate = TestCertificates.LoadGateway(),
            ListenAddressOverride = IPAddress.Loopback,
            ListenPortOverride = 0,
            HandshakeTimeout = TimeSpan.FromSeconds(5),
            IdleTimeout = TimeSpan.FromSeconds(30),
            DrainTimeout = TimeSpan.FromSeconds(5),
            ConfigurationPollInterval = TimeSpan.FromMilliseconds(100),
            Engine = TestRelayEngine.Selected,
        };
        var host = await RelayHost.StartWithVerifierAsync(Store, configure is null ? options : configure(options), Log, timeProvider, verifyHash ?? VerifyHash, CancellationToken.None);
        _hosts.Add(host);
        return host;
    }

    public static int PortOf(RelayHost host, string gateway) =>
        host.GetGatewayStatistics().Single(g => g.Gateway == gateway && g.Listening).LocalEndPoint!.Port;

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout} waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync(TimeSpan.Zero).WaitAsync(TimeSpan.FromSeconds(30));
        }

        await Backend.DisposeAsync();
        Store.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private bool VerifyHash(string password, string hash)
    {
        Interlocked.Increment(ref _hashChecks);
        return PasswordHasher.Verify(password, hash);
    }
}
