using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CloudGateway.Certificates;
using CloudGateway.Model;
using CloudGateway.Protocol;
using CloudGateway.Security;
using CloudGateway.Storage;
using CloudGateway.Storage.Postgres;
using CloudGateway.Tests.Relay;
using CloudGateway.Tests.Storage.Postgres;
using Xunit.Abstractions;

namespace CloudGateway.Tests.Service;

/// <summary>
/// Three real CloudGateway.Service processes, each serving its own gateway on its own loopback port, sharing one
/// PostgreSQL configuration (a fresh schema per test): they behave as one gateway estate.
/// </summary>
public sealed class GatewayEstateProcessTests(ITestOutputHelper output)
{
    private const string Password = "estate-process-password-1";
    // Three service processes starting at once on a busy two-core machine take a while to log their listeners.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [PostgresFact]
    public async Task ThreeProcesses_TenantDisabledThroughStore_RefusedAndDisconnectedOnEveryProcessWithinTwoSeconds()
    {
        await using var estate = await Estate.StartAsync(maxConcurrentSessions: 0);
        var sessions = new List<RelayTestClient>();
        try
        {
            foreach (var port in estate.Ports)
            {
                var session = await RelayTestClient.ConnectAsync(port, "acme", Password, "echo");
                sessions.Add(session);
                Assert.True(session.Answer.Accepted, $"port {port}: {session.Answer.Reason}");
                await AssertEchoes(session);
            }

            var clock = Stopwatch.StartNew();
            estate.Store.UpdateTenant("acme", t => t with { Enabled = false });
            var closedAfter = await Task.WhenAll(sessions.Select(async s =>
            {
                await AssertClosedWithin(s, TimeSpan.FromSeconds(2));
                return clock.Elapsed;
            }));

            output.WriteLine($"tenant disabled through the store: sessions on the three processes closed after {string.Join(", ", closedAfter.Select(t => $"{t.TotalMilliseconds:F0} ms"))}");
            Assert.All(closedAfter, t => Assert.True(t < TimeSpan.FromSeconds(2), $"closed after {t}"));
            foreach (var port in estate.Ports)
            {
                await using var refused = await RelayTestClient.ConnectAsync(port, "acme", Password, "echo");
                Assert.False(refused.Answer.Accepted, $"port {port} still admits the disabled tenant");
                Assert.Equal(RefusalReason.TenantDisabled, refused.Answer.Reason);
            }

            estate.AssertNoSecretLogged();
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    [PostgresFact]
    public async Task ThreeProcesses_GatewayAddedThroughStoreAndLimitOfFour_SeenAndHeldByEveryProcess()
    {
        await using var estate = await Estate.StartAsync(maxConcurrentSessions: 4);

        var clock = Stopwatch.StartNew();
        estate.Store.AddGateway(new Gateway { Name = "gw-4", Address = "gw-4.example.test", Server = "server-4" });
        foreach (var port in estate.Ports)
        {
            var names = await WaitForGatewayAsync(port, "gw-4", TimeSpan.FromSeconds(2));
            Assert.Equal(["gw-1", "gw-2", "gw-3", "gw-4"], names.Order());
        }

        output.WriteLine($"gateway added through the store: in every process's list after {clock.Elapsed.TotalMilliseconds:F0} ms");

        var open = new List<RelayTestClient>();
        try
        {
            for (var i = 0; i < 9; i++)
            {
                open.Add(await RelayTestClient.ConnectAsync(estate.Ports[i % 3], "acme", Password, "echo"));
            }

            var accepted = open.Where(c => c.Answer.Accepted).ToList();
            var refused = open.Where(c => !c.Answer.Accepted).ToList();
            output.WriteLine($"nine sessions round-robin on three processes: {accepted.Count} accepted, {refused.Count} refused ({string.Join(", ", refused.Select(c => c.Answer.Reason).Distinct())})");
            Assert.Equal(4, accepted.Count);
            Assert.All(refused, c => Assert.Equal(RefusalReason.SessionLimit, c.Answer.Reason));
            foreach (var session in accepted)
            {
                await AssertEchoes(session);
            }

            var freed = accepted[0];
            var freedIndex = open.IndexOf(freed);
            await freed.DisposeAsync();
            open.Remove(freed);
            var otherPort = estate.Ports[(freedIndex + 1) % 3];
            var replacement = await ConnectUntilAcceptedAsync(otherPort, TimeSpan.FromSeconds(5));
            open.Add(replacement);
            await AssertEchoes(replacement);
            var fifth = await RelayTestClient.ConnectAsync(estate.Ports[(freedIndex + 2) % 3], "acme", Password, "echo");
            open.Add(fifth);
            Assert.Equal(RefusalReason.SessionLimit, fifth.Answer.Reason);
        }
        finally
        {
            foreach (var client in open)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>Asks the gateway on <paramref name="port"/> for acme's list until it names <paramref name="gateway"/>.</summary>
    private static async Task<string[]> WaitForGatewayAsync(int port, string gateway, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string[] names = [];
        while (clock.Elapsed < timeout)
        {
            await using var list = await RelayTestClient.ConnectAsync(port, "acme", Password, null);
            Assert.True(list.Answer.Accepted, list.Answer.Reason);
            names = list.Answer.Gateways.Select(g => g.Name).ToArray();
            if (names.Contains(gateway))
            {
                return names;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"port {port} still lists only {string.Join(", ", names)} after {timeout}");
        return names;
    }

    /// <summary>A freed slot is given back by one process and seen by another: retries until admitted, bounded.</summary>
    private static async Task<RelayTestClient> ConnectUntilAcceptedAsync(int port, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var client = await RelayTestClient.ConnectAsync(port, "acme", Password, "echo");
            if (client.Answer.Accepted)
            {
                return client;
            }

            await client.DisposeAsync();
            Assert.Equal(RefusalReason.SessionLimit, client.Answer.Reason);
            Assert.True(clock.Elapsed < timeout, $"the freed slot was not available on port {port} within {timeout}");
            await Task.Delay(100);
        }
    }

    private static async Task AssertClosedWithin(RelayTestClient client, TimeSpan timeout)
    {
        try
        {
            await client.ReadToEndAsync(timeout);
        }
        catch (IOException)
        {
            // A reset is a disconnection too.
            return;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the session was still open {timeout} after the tenant was disabled");
        }
    }

    private static async Task AssertEchoes(RelayTestClient client)
    {
        var sent = "hello through three processes"u8.ToArray();
        await client.Tls.WriteAsync(sent);
        var received = new byte[sent.Length];
        await client.Tls.ReadExactlyAsync(received).AsTask().WaitAsync(RelayTestClient.Timeout);
        Assert.Equal(sent, received);
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>
    /// Gateways gw-1..gw-3 (servers server-1..server-3), each served by its own service process; tenant acme with an
    /// echo resource; the test certificate put in the store by the certificate manager, its private key encrypted under
    /// the key file every process is given through CLOUDGATEWAY_KEY_FILE; one fresh schema.
    /// </summary>
    private sealed class Estate : IAsyncDisposable
    {
        private readonly PostgresTestSchema _schema = new();
        private readonly EchoBackend _echo = new();
        private readonly List<ServiceProcess> _processes = [];
        private readonly TempFolder _folder = new();

        private Estate() => Store = PostgresConfigurationStore.Open(_schema.ConnectionString, keyFile: KeyFile);

        private string KeyFile => _folder.File("certificate.key");

        public PostgresConfigurationStore Store { get; }

        public int[] Ports { get; } = [FreeLoopbackPort(), FreeLoopbackPort(), FreeLoopbackPort()];

        public static async Task<Estate> StartAsync(int maxConcurrentSessions)
        {
            var estate = new Estate();
            try
            {
                await estate.ConfigureAndStartAsync(maxConcurrentSessions);
                return estate;
            }
            catch
            {
                await estate.DisposeAsync();
                throw;
            }
        }

        public void AssertNoSecretLogged()
        {
            var secret = new Npgsql.NpgsqlConnectionStringBuilder(_schema.ConnectionString).Password;
            foreach (var process in _processes)
            {
                Assert.DoesNotContain(process.Lines, line => line.GetRawText().Contains(Password, StringComparison.Ordinal));
                if (!string.IsNullOrEmpty(secret))
                {
                    Assert.DoesNotContain(process.Lines, line => line.GetRawText().Contains(secret, StringComparison.Ordinal));
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var process in _processes)
            {
                process.Dispose();
            }

            Store.Dispose();
            await _echo.DisposeAsync();
            _schema.Dispose();
            _folder.Dispose();
        }

        private async Task ConfigureAndStartAsync(int maxConcurrentSessions)
        {
            for (var i = 0; i < 3; i++)
            {
                Store.AddGateway(new Gateway
                {
                    Name = $"gw-{i + 1}",
                    Server = $"server-{i + 1}",
                    Address = "127.0.0.1",
                    ListenAddress = "127.0.0.1",
                    Port = Ports[i],
                    InternalPort = Ports[i],
                });
            }

            Store.AddTenant(new Tenant { Name = "acme", MaxConcurrentSessions = maxConcurrentSessions }, PasswordHasher.Hash(Password));
            Store.AddResource(new TenantResource { Tenant = "acme", Name = "echo", TargetHost = "127.0.0.1", TargetPort = _echo.Port });
            new GatewayCertificateManager(Store).Import(TestCertificates.GatewayPkcs12, null, force: false);

            var environment = new Dictionary<string, string>
            {
                ["CLOUDGATEWAY_CONNECTION_STRING"] = _schema.ConnectionString,
                [ConfigurationDatabase.KeyFileVariable] = KeyFile,
            };
            for (var i = 0; i < 3; i++)
            {
                _processes.Add(ServiceProcess.Start(
                    environment,
                    "--gateway", $"gw-{i + 1}",
                    "--server-name", $"server-{i + 1}",
                    "--listen-port", Ports[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--log-format", "json",
                    "--drain-timeout", "1"));
            }

            var listening = await Task.WhenAll(_processes.Select(p => p.WaitForEventAsync(100, StartTimeout)));
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal($"127.0.0.1:{Ports[i]}", listening[i].GetProperty("State").GetProperty("EndPoint").GetString());
            }
        }
    }
}
