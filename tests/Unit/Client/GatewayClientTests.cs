using System.Diagnostics;
using System.Net;
using System.Text;
using CloudGateway.Client;
using CloudGateway.Protocol;

namespace CloudGateway.Tests.Client;

[Collection(FailoverTiming.Name)]
public sealed class GatewayClientTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    private static GatewayClient Client(int initialPort, IGatewayListStore? store = null, GatewayClientOptions? options = null,
        TimeProvider? time = null, string? thumbprint = "pinned", string password = "s3cret")
    {
        var settings = new GatewayClientSettings
        {
            Address = "127.0.0.1",
            Port = initialPort,
            Credential = new NetworkCredential("acme", password),
            CertificateThumbprint = thumbprint == "pinned" ? TestCertificates.Thumbprint(TestCertificates.Gateway) : thumbprint,
        };
        return new GatewayClient(settings, store, options ?? new GatewayClientOptions { ConnectTimeout = TimeSpan.FromSeconds(1) }, time);
    }

    private static async Task AssertEchoAsync(Stream stream)
    {
        var sent = Encoding.ASCII.GetBytes("ping");
        await stream.WriteAsync(sent).AsTask().WaitAsync(Limit);
        var received = new byte[sent.Length];
        await stream.ReadExactlyAsync(received).AsTask().WaitAsync(Limit);
        Assert.Equal(sent, received);
    }

    private static MemoryGatewayListStore StoreWith(params GatewayEndpoint[] gateways)
    {
        var store = new MemoryGatewayListStore();
        store.SaveList([.. gateways.Select(g => new KnownGateway { Name = g.Name, Address = g.Address, Port = g.Port, Fallback = g.Fallback })], DateTimeOffset.UnixEpoch);
        return store;
    }

    [Fact]
    public async Task OpenResourceAsync_PrimaryRefusesConnections_ConnectsThroughSecondaryWithinOneSecond()
    {
        await using var secondary = new FakeGateway("gw-b");
        var primary = new GatewayEndpoint("gw-a", "127.0.0.1", SilentEndpoints.RefusingPort(), false);
        secondary.Gateways = [primary, secondary.Endpoint()];
        var client = Client(primary.Port, StoreWith(primary, secondary.Endpoint()));
        await FailoverTiming.WarmUpAsync(secondary);

        var watch = Stopwatch.StartNew();
        await using var stream = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);
        watch.Stop();

        Assert.Equal("gw-b", stream.Gateway.Name);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"failover took {watch.Elapsed.TotalMilliseconds:F0} ms");
        await AssertEchoAsync(stream);
        Assert.Equal(1, client.Gateways.Single(g => g.Name == "gw-a").Health.ConsecutiveFailures);
    }

    [Theory]
    [InlineData("full-backlog")]
    [InlineData("never-accepting")]
    public async Task OpenResourceAsync_PrimarySilent_FailsOverWithinConnectTimeoutPlusHalfSecond(string silence)
    {
        using var silent = silence == "full-backlog" ? await SilentEndpoints.FullBacklogAsync() : SilentEndpoints.NeverAccepting();
        await using var secondary = new FakeGateway("gw-b");
        var primary = new GatewayEndpoint("gw-a", "127.0.0.1", silent.Port, false);
        secondary.Gateways = [primary, secondary.Endpoint()];
        var connectTimeout = TimeSpan.FromSeconds(1);
        var client = Client(primary.Port, StoreWith(primary, secondary.Endpoint()), new GatewayClientOptions { ConnectTimeout = connectTimeout });
        await FailoverTiming.WarmUpAsync(secondary);

        var watch = Stopwatch.StartNew();
        await using var stream = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);
        watch.Stop();

        Assert.Equal("gw-b", stream.Gateway.Name);
        Assert.True(watch.Elapsed >= connectTimeout * 0.9, $"the silent primary was given up after only {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(watch.Elapsed < connectTimeout + TimeSpan.FromMilliseconds(500), $"failover took {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Contains("timed out", client.Gateways.Single(g => g.Name == "gw-a").Health.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenResourceAsync_GatewayGoneAfterUse_NextConnectionGoesElsewhere()
    {
        await using var a = new FakeGateway("gw-a");
        await using var b = new FakeGateway("gw-b");
        a.Gateways = b.Gateways = [a.Endpoint(), b.Endpoint()];
        var client = Client(a.Port);

        await using (var first = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit))
        {
            Assert.Equal("gw-a", first.Gateway.Name);
        }

        a.RefuseWith = RefusalReason.GatewayNotAllowed;
        await using (var second = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit))
        {
            Assert.Equal("gw-b", second.Gateway.Name);
        }

        await a.KillAsync();
        await using var third = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);
        Assert.Equal("gw-b", third.Gateway.Name);
        await AssertEchoAsync(third);
    }

    [Fact]
    public async Task OpenResourceAsync_EveryPoolGatewayDown_UsesFallbackLast()
    {
        await using var a = new FakeGateway("gw-a");
        await using var b = new FakeGateway("gw-b");
        await using var standalone = new FakeGateway("gw-s");
        IReadOnlyList<GatewayEndpoint> list = [a.Endpoint(), b.Endpoint(), standalone.Endpoint(fallback: true)];
        a.Gateways = b.Gateways = standalone.Gateways = list;
        var client = Client(a.Port);
        await client.RefreshAsync(CancellationToken.None).WaitAsync(Limit);
        Assert.Equal(["gw-a", "gw-b", "gw-s"], client.Gateways.Select(g => g.Name));

        await using (var pooled = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit))
        {
            Assert.Equal("gw-a", pooled.Gateway.Name);
        }

        a.Down = b.Down = true;
        await using var stream = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);

        Assert.Equal("gw-s", stream.Gateway.Name);
        Assert.True(stream.Gateway.Fallback);
        Assert.Equal(1, standalone.SessionsAccepted);
    }

    [Fact]
    public async Task OpenResourceAsync_NothingReachable_NoGatewayAvailableListsEveryAttempt()
    {
        await using var a = new FakeGateway("gw-a");
        await using var b = new FakeGateway("gw-b");
        a.Gateways = b.Gateways = [a.Endpoint(), b.Endpoint()];
        var client = Client(a.Port);
        await client.RefreshAsync(CancellationToken.None).WaitAsync(Limit);
        a.Down = true;
        await b.KillAsync();

        var ex = await Assert.ThrowsAsync<GatewayException>(() => client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit));

        Assert.Equal(GatewayErrorCode.NoGatewayAvailable, ex.Code);
        Assert.Contains($"gw-a (127.0.0.1:{a.Port})", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"gw-b (127.0.0.1:{b.Port}): connection refused", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenResourceAsync_GatewayBackAfterCoolDown_IsUsedAgain()
    {
        await using var a = new FakeGateway("gw-a");
        await using var b = new FakeGateway("gw-b");
        a.Gateways = b.Gateways = [a.Endpoint(), b.Endpoint()];
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var client = Client(a.Port, new MemoryGatewayListStore(), new GatewayClientOptions { CoolDown = TimeSpan.FromSeconds(30) }, time);
        await client.RefreshAsync(CancellationToken.None).WaitAsync(Limit);

        a.Down = true;
        await using (var first = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit))
        {
            Assert.Equal("gw-b", first.Gateway.Name);
        }

        a.Down = false;
        var triesOnA = a.ConnectionsSeen;
        time.Advance(TimeSpan.FromSeconds(29));
        await using (var during = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit))
        {
            Assert.Equal("gw-b", during.Gateway.Name);
        }

        Assert.Equal(triesOnA, a.ConnectionsSeen);
        time.Advance(TimeSpan.FromSeconds(2));
        await using var after = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);
        Assert.Equal("gw-a", after.Gateway.Name);
        Assert.Equal(0, client.Gateways.Single(g => g.Name == "gw-a").Health.ConsecutiveFailures);
    }

    [Fact]
    public async Task OpenResourceAsync_GatewayAddedOnProviderSide_AppearsInListAndStore()
    {
        await using var a = new FakeGateway("gw-a");
        await using var c = new FakeGateway("gw-c");
        a.Gateways = [a.Endpoint()];
        var store = new MemoryGatewayListStore();
        var client = Client(a.Port, store);
        await client.RefreshAsync(CancellationToken.None).WaitAsync(Limit);
        Assert.Equal(["gw-a"], store.Gateways.Select(g => g.Name));

        a.Gateways = [a.Endpoint(), c.Endpoint()];
        await using var stream = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(["gw-a", "gw-c"], client.Gateways.Select(g => g.Name));
        Assert.Equal(["gw-a", "gw-c"], store.Gateways.Select(g => g.Name));
    }

    [Fact]
    public async Task OpenResourceAsync_WrongThumbprint_FailsBeforeAnyHello()
    {
        await using var a = new FakeGateway("gw-a");
        a.Gateways = [a.Endpoint()];
        var client = Client(a.Port, thumbprint: new string('A', 64));

        var ex = await Assert.ThrowsAsync<GatewayException>(() => client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit));

        Assert.Equal(GatewayErrorCode.CertificateMismatch, ex.Code);
        Assert.Contains(TestCertificates.Thumbprint(a.Certificate), ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, a.HellosReceived);
        Assert.Equal(1, a.ConnectionsSeen);
    }

    [Fact]
    public async Task OpenResourceAsync_UnpinnedSelfSignedCertificate_FailsBeforeAnyHello()
    {
        await using var a = new FakeGateway("gw-a");
        var client = Client(a.Port, thumbprint: null);

        var ex = await Assert.ThrowsAsync<GatewayException>(() => client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit));

        Assert.Equal(GatewayErrorCode.CertificateMismatch, ex.Code);
        Assert.Contains("not trusted", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, a.HellosReceived);
    }

    [Fact]
    public async Task OpenResourceAsync_PinWithColonsAndLowerCase_Connects()
    {
        await using var a = new FakeGateway("gw-a");
        var pin = string.Join(':', TestCertificates.Thumbprint(a.Certificate).ToLowerInvariant().Chunk(2).Select(p => new string(p)));
        var client = Client(a.Port, thumbprint: pin);

        await using var stream = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);

        await AssertEchoAsync(stream);
    }

    [Fact]
    public async Task OpenResourceAsync_InvalidCredentials_StopsWithoutTryingOtherGateways()
    {
        await using var a = new FakeGateway("gw-a") { RefuseWith = RefusalReason.InvalidCredentials };
        await using var b = new FakeGateway("gw-b");
        var client = Client(a.Port, StoreWith(a.Endpoint(), b.Endpoint()));

        var ex = await Assert.ThrowsAsync<GatewayException>(() => client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit));

        Assert.Equal(GatewayErrorCode.Refused, ex.Code);
        Assert.Equal(RefusalReason.InvalidCredentials, GatewayRefusal.ReasonOf(ex));
        Assert.Equal(0, b.ConnectionsSeen);
        Assert.Equal(0, client.Gateways.Single(g => g.Name == "gw-a").Health.ConsecutiveFailures);
    }

    [Fact]
    public async Task OpenResourceAsync_ResourceUnavailableOnOneGateway_TriesNext()
    {
        await using var a = new FakeGateway("gw-a") { RefuseWith = RefusalReason.ResourceUnavailable };
        await using var b = new FakeGateway("gw-b");
        b.Gateways = [a.Endpoint(), b.Endpoint()];
        var client = Client(a.Port, StoreWith(a.Endpoint(), b.Endpoint()));

        await using var stream = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);

        Assert.Equal("gw-b", stream.Gateway.Name);
        Assert.Equal(1, a.HellosReceived);
    }

    [Fact]
    public async Task OpenResourceAsync_EveryGatewayRefusesPerGateway_ThrowsRefusedWithReason()
    {
        await using var a = new FakeGateway("gw-a") { RefuseWith = RefusalReason.GatewayBusy };
        var client = Client(a.Port);

        var ex = await Assert.ThrowsAsync<GatewayException>(() => client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit));

        Assert.Equal(GatewayErrorCode.Refused, ex.Code);
        Assert.Equal(RefusalReason.GatewayBusy, GatewayRefusal.ReasonOf(ex));
    }

    [Fact]
    public async Task OpenResourceAsync_RestartWithKeptList_BeginsFromLastList()
    {
        await using var a = new FakeGateway("gw-a");
        await using var b = new FakeGateway("gw-b");
        a.Gateways = b.Gateways = [a.Endpoint(), b.Endpoint()];
        var store = new MemoryGatewayListStore();
        await Client(a.Port, store).RefreshAsync(CancellationToken.None).WaitAsync(Limit);
        await a.KillAsync();

        var restarted = Client(a.Port, store);
        await using var stream = await restarted.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);

        Assert.Equal("gw-b", stream.Gateway.Name);
    }

    [Fact]
    public async Task OpenResourceAsync_BytesSentRightAfterAnswer_AreReadFirst()
    {
        await using var a = new FakeGateway("gw-a");
        var client = Client(a.Port);
        await using var stream = await client.OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);

        await stream.WriteAsync(Encoding.ASCII.GetBytes("abc")).AsTask().WaitAsync(Limit);
        await stream.ShutdownWriteAsync().WaitAsync(Limit);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy).WaitAsync(Limit);

        Assert.Equal("abc", Encoding.ASCII.GetString(copy.ToArray()));
    }

    [Fact]
    public async Task ProbeAsync_HealthyAndDeadGateway_ReportsEachStep()
    {
        await using var a = new FakeGateway("gw-a");
        var dead = new GatewayEndpoint("gw-dead", "127.0.0.1", SilentEndpoints.RefusingPort(), false);
        a.Gateways = [a.Endpoint(), dead];
        var client = Client(a.Port);
        await client.RefreshAsync(CancellationToken.None).WaitAsync(Limit);

        var results = await client.ProbeAsync(CancellationToken.None).WaitAsync(Limit);

        var good = results.Single(r => r.Gateway == "gw-a");
        Assert.True(good.Passed);
        Assert.Equal(TestCertificates.Thumbprint(a.Certificate), good.CertificateThumbprint);
        Assert.NotNull(good.CertificateExpires);
        Assert.NotNull(good.Latency);
        var bad = results.Single(r => r.Gateway == "gw-dead");
        Assert.False(bad.TcpConnected);
        Assert.False(bad.Passed);
        Assert.Equal("connection refused", bad.Error);
    }
}
