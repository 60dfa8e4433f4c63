using System.Diagnostics;
using System.Net;
using CloudGateway.Model;
using CloudGateway.Protocol;
using CloudGateway.Relay;
using CloudGateway.Security;
using CloudGateway.Storage.Postgres;
using CloudGateway.Tests.Storage.Postgres;
using Xunit.Abstractions;

namespace CloudGateway.Tests.Relay;

/// <summary>
/// Two gateway servers (two relay hosts, each with its own PostgreSQL store and connection pool) sharing one
/// PostgreSQL configuration, on loopback with real sockets and TLS: they behave as one gateway estate.
/// </summary>
public sealed class MultiServerRelayTests(ITestOutputHelper output)
{
    private const string Password = "estate-password-1";
    private static readonly Lazy<string> PasswordHash = new(() => PasswordHasher.Hash(Password));

    [PostgresFact]
    public async Task TenantDisabledThroughOneServer_RefusedAndDisconnectedOnTheOtherWithinTwoSeconds()
    {
        // Polling every 10 s: only the LISTEN/NOTIFY path can deliver the change within 2 s.
        await using var estate = await Estate.StartAsync(PostgresTestServer.Required, TimeSpan.FromSeconds(10));
        await using var session = await RelayTestClient.ConnectAsync(estate.PortB, "acme", Password, "echo");
        Assert.True(session.Answer.Accepted, session.Answer.Reason);
        await AssertEchoes(session);

        var clock = Stopwatch.StartNew();
        estate.StoreA.UpdateTenant("acme", t => t with { Enabled = false });
        await AssertClosedWithin(session, TimeSpan.FromSeconds(2));
        var disconnected = clock.Elapsed;
        await using var refused = await RelayTestClient.ConnectAsync(estate.PortB, "acme", Password, "echo");

        output.WriteLine($"disabled through server A: session on server B closed after {disconnected.TotalMilliseconds:F0} ms");
        Assert.True(disconnected < TimeSpan.FromSeconds(2), $"closed after {disconnected}");
        Assert.False(refused.Answer.Accepted);
        Assert.Equal(RefusalReason.TenantDisabled, refused.Answer.Reason);
    }

    [PostgresFact]
    public async Task GatewayAddedThroughOneServer_AppearsInTenantListsFromTheOther()
    {
        await using var estate = await Estate.StartAsync(PostgresTestServer.Required, TimeSpan.FromSeconds(10));
        await using (var before = await RelayTestClient.ConnectAsync(estate.PortB, "acme", Password, null))
        {
            Assert.Equal(["gw-a", "gw-b"], before.Answer.Gateways.Select(g => g.Name).Order());
        }

        var clock = Stopwatch.StartNew();
        estate.StoreA.AddGateway(new Gateway { Name = "gw-c", Address = "gw-c.example.test", Server = "server-c" });
        string[] names = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(2) && !names.Contains("gw-c"))
        {
            await using var list = await RelayTestClient.ConnectAsync(estate.PortB, "acme", Password, null);
            names = list.Answer.Gateways.Select(g => g.Name).ToArray();
        }

        output.WriteLine($"gateway added through server A: in server B's list after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(["gw-a", "gw-b", "gw-c"], names.Order());
    }

    [PostgresFact]
    public async Task LimitOfFourSessions_HoldsAcrossBothServers()
    {
        await using var estate = await Estate.StartAsync(PostgresTestServer.Required, TimeSpan.FromSeconds(1));
        estate.StoreA.UpdateTenant("acme", t => t with { MaxConcurrentSessions = 4 });
        await estate.WaitUntilBothHostsApplied();
        var open = new List<RelayTestClient>();
        try
        {
            var answers = new List<HelloAnswer>();
            for (var i = 0; i < 8; i++)
            {
                var client = await RelayTestClient.ConnectAsync(i % 2 == 0 ? estate.PortA : estate.PortB, "acme", Password, "echo");
                open.Add(client);
                answers.Add(client.Answer);
            }

            Assert.Equal(4, answers.Count(a => a.Accepted));
            Assert.All(answers.Where(a => !a.Accepted), a => Assert.Equal(RefusalReason.SessionLimit, a.Reason));
            Assert.Equal(4, estate.HostA.GetSessions().Count + estate.HostB.GetSessions().Count);

            var onA = open.First(c => c.Answer.Accepted && open.IndexOf(c) % 2 == 0);
            await onA.DisposeAsync();
            open.Remove(onA);
            await RelayTestEnvironment.WaitUntilAsync(
                () => PostgresTestServer.Scalar<long>(estate.ConnectionString, "SELECT count(*) FROM session_leases") == 3, TimeSpan.FromSeconds(5), "server A gave its lease back");
            var next = await RelayTestClient.ConnectAsync(estate.PortB, "acme", Password, "echo");
            open.Add(next);
            Assert.True(next.Answer.Accepted, next.Answer.Reason);
        }
        finally
        {
            foreach (var client in open)
            {
                await client.DisposeAsync();
            }
        }
    }

    [PostgresFact]
    public async Task TenantRenamedWithSessionsOpen_LimitStillHoldsAcrossBothServers()
    {
        await using var estate = await Estate.StartAsync(PostgresTestServer.Required, TimeSpan.FromSeconds(1));
        estate.StoreA.UpdateTenant("acme", t => t with { MaxConcurrentSessions = 2 });
        await estate.WaitUntilBothHostsApplied();
        await using var first = await RelayTestClient.ConnectAsync(estate.PortA, "acme", Password, "echo");
        await using var second = await RelayTestClient.ConnectAsync(estate.PortA, "acme", Password, "echo");
        Assert.True(first.Answer.Accepted && second.Answer.Accepted, "two sessions before the rename");

        estate.StoreB.UpdateTenant("acme", t => t with { Name = "acme-renamed" });
        await estate.WaitUntilBothHostsApplied();
        await using var third = await RelayTestClient.ConnectAsync(estate.PortB, "acme-renamed", Password, "echo");

        Assert.False(third.Answer.Accepted);
        Assert.Equal(RefusalReason.SessionLimit, third.Answer.Reason);
        await AssertEchoes(first);
    }

    [PostgresFact]
    public async Task DatabaseStopped_HostsKeepServingAndReportTheOutage_ThenCatchUp()
    {
        var phases = Stopwatch.StartNew();
        using var cluster = new PrivatePostgresCluster();
        await using var estate = await Estate.StartAsync(cluster.ConnectionString, TimeSpan.FromMilliseconds(200));
        output.WriteLine($"cluster and estate ready after {phases.ElapsedMilliseconds} ms");

        cluster.Stop();
        output.WriteLine($"database stopped after {phases.ElapsedMilliseconds} ms");
        await RelayTestEnvironment.WaitUntilAsync(() => estate.HostA.StoreUnavailableSince is not null && estate.HostB.StoreUnavailableSince is not null, TimeSpan.FromSeconds(10), "both hosts report the outage");
        await using (var duringOutage = await RelayTestClient.ConnectAsync(estate.PortB, "acme", Password, "echo"))
        {
            Assert.True(duringOutage.Answer.Accepted, duringOutage.Answer.Reason);
            Assert.Equal(["gw-a", "gw-b"], duringOutage.Answer.Gateways.Select(g => g.Name).Order());
            await AssertEchoes(duringOutage);
        }

        output.WriteLine($"served during the outage after {phases.ElapsedMilliseconds} ms");
        cluster.Start();
        output.WriteLine($"database started again after {phases.ElapsedMilliseconds} ms");
        await RelayTestEnvironment.WaitUntilAsync(() => estate.HostA.StoreUnavailableSince is null && estate.HostB.StoreUnavailableSince is null, TimeSpan.FromSeconds(15), "both hosts reach the store again");
        output.WriteLine($"hosts reconnected after {phases.ElapsedMilliseconds} ms");
        var clock = Stopwatch.StartNew();
        estate.StoreA.UpdateTenant("acme", t => t with { Enabled = false });
        await RelayTestEnvironment.WaitUntilAsync(() => estate.HostB.ConfigurationChangeCounter == estate.StoreA.GetChangeCounter(), TimeSpan.FromSeconds(2), "server B catches up");
        await using var refused = await RelayTestClient.ConnectAsync(estate.PortB, "acme", Password, "echo");

        output.WriteLine($"after the outage: change through A applied on B after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(RefusalReason.TenantDisabled, refused.Answer.Reason);
    }

    /// <summary>The gateway ends the session, with a close or a reset, before <paramref name="timeout"/>.</summary>
    private static async Task AssertClosedWithin(RelayTestClient client, TimeSpan timeout)
    {
        try
        {
            await client.ReadToEndAsync(timeout);
        }
        catch (IOException)
        {
            // A reset is a disconnection too; a timeout would surface as OperationCanceledException and fail the test.
            return;
        }
    }

    private static async Task AssertEchoes(RelayTestClient client)
    {
        var sent = "hello through the estate"u8.ToArray();
        await client.Tls.WriteAsync(sent);
        var received = new byte[sent.Length];
        await client.Tls.ReadExactlyAsync(received).AsTask().WaitAsync(RelayTestClient.Timeout);
        Assert.Equal(sent, received);
    }

    /// <summary>Servers A and B: gateway gw-a on A and gw-b on B, tenant acme with an echo resource, one schema.</summary>
    private sealed class Estate : IAsyncDisposable
    {
        private readonly PostgresTestSchema _schema;
        private readonly EchoBackend _backend = new();

        private Estate(PostgresTestSchema schema)
        {
            _schema = schema;
            StoreA = PostgresConfigurationStore.Open(schema.ConnectionString);
            StoreB = PostgresConfigurationStore.Open(schema.ConnectionString);
        }

        public string ConnectionString => _schema.ConnectionString;

        public Task WaitUntilBothHostsApplied() => RelayTestEnvironment.WaitUntilAsync(
            () => HostA.ConfigurationChangeCounter == StoreB.GetChangeCounter() && HostB.ConfigurationChangeCounter == StoreB.GetChangeCounter(),
            TimeSpan.FromSeconds(5),
            "both hosts applied the change");

        public PostgresConfigurationStore StoreA { get; }

        public PostgresConfigurationStore StoreB { get; }

        public RelayHost HostA { get; private set; } = null!;

        public RelayHost HostB { get; private set; } = null!;

        public int PortA => RelayTestEnvironment.PortOf(HostA, "gw-a");

        public int PortB => RelayTestEnvironment.PortOf(HostB, "gw-b");

        public static async Task<Estate> StartAsync(string serverConnectionString, TimeSpan pollInterval)
        {
            var estate = new Estate(new PostgresTestSchema(serverConnectionString));
            estate.StoreA.AddGateway(new Gateway { Name = "gw-a", Address = "gw-a.example.test", Server = "server-a" });
            estate.StoreB.AddGateway(new Gateway { Name = "gw-b", Address = "gw-b.example.test", Server = "server-b" });
            estate.StoreA.AddTenant(new Tenant { Name = "acme" }, PasswordHash.Value);
            estate.StoreB.AddResource(new TenantResource { Tenant = "acme", Name = "echo", TargetHost = "127.0.0.1", TargetPort = estate._backend.Port });
            estate.HostA = await StartHostAsync(estate.StoreA, "server-a", pollInterval);
            estate.HostB = await StartHostAsync(estate.StoreB, "server-b", pollInterval);
            return estate;
        }

        public async ValueTask DisposeAsync()
        {
            await HostA.StopAsync(TimeSpan.Zero).WaitAsync(TimeSpan.FromSeconds(30));
            await HostB.StopAsync(TimeSpan.Zero).WaitAsync(TimeSpan.FromSeconds(30));
            StoreA.Dispose();
            StoreB.Dispose();
            await _backend.DisposeAsync();
            _schema.Dispose();
        }

        private static Task<RelayHost> StartHostAsync(PostgresConfigurationStore store, string server, TimeSpan pollInterval) =>
            RelayHost.StartWithVerifierAsync(
                store,
                new RelayHostOptions
                {
                    ServerName = server,
                    Certificate = TestCertificates.LoadGateway(),
                    ListenAddressOverride = IPAddress.Loopback,
                    ListenPortOverride = 0,
                    HandshakeTimeout = TimeSpan.FromSeconds(5),
                    DrainTimeout = TimeSpan.FromSeconds(5),
                    ConfigurationPollInterval = pollInterval,
                },
                null,
                null,
                PasswordHasher.Verify,
                CancellationToken.None);
    }
}
