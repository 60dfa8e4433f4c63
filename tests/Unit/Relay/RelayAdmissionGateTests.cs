using System.Net;
using CloudGateway.Protocol;
using CloudGateway.Relay;

namespace CloudGateway.Tests.Relay;

/// <summary>The bounded password check gate and the per-source throttle, through a real host over TLS.</summary>
[Collection(RelayTestGroup.Name)]
public sealed class RelayAdmissionGateTests
{
    private const string Good = "gate-password";
    private static readonly IPAddress SourceA = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress SourceB = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task Hello_EveryCheckSlotTaken_GatewayBusyAlikeForAnyTenantAndNoFailureCounted()
    {
        using var verifier = new HeldVerifier();
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Good);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { MaxConcurrentPasswordChecks = 2 }, verifier.Verify);
        var port = RelayTestEnvironment.PortOf(host, "gw");

        verifier.Hold();
        var held = new[] { RelayTestClient.ConnectAsync(port, "acme", "wrong-1", "repo"), RelayTestClient.ConnectAsync(port, "nobody", Good, "repo") };
        await RelayTestEnvironment.WaitUntilAsync(() => verifier.Running == 2, TimeSpan.FromSeconds(10), "two password checks are running");

        await using var known = await RelayTestClient.ConnectAsync(port, "acme", "wrong-2", "repo");
        await using var right = await RelayTestClient.ConnectAsync(port, "acme", Good, "repo");
        await using var unknown = await RelayTestClient.ConnectAsync(port, "nobody-else", Good, "repo");

        Assert.Equal(RefusalReason.GatewayBusy, known.Answer.Reason);
        Assert.Equal(known.AnswerFrame, right.AnswerFrame);
        Assert.Equal(known.AnswerFrame, unknown.AnswerFrame);
        Assert.Equal(2, verifier.Calls);
        Assert.Equal(0, env.Store.GetTenant("acme").FailedLogonCount);
        Assert.Equal(3, env.Log.Events.Count(e => e.Id.Id == 214));
        Assert.DoesNotContain(Good, env.Log.AllText(), StringComparison.Ordinal);

        verifier.Release();
        foreach (var pending in held)
        {
            await using var client = await pending;
            Assert.Equal(RefusalReason.InvalidCredentials, client.Answer.Reason);
        }

        Assert.Equal(1, env.Store.GetTenant("acme").FailedLogonCount);
        await using var later = await RelayTestClient.ConnectAsync(port, "acme", Good, "repo");
        Assert.True(later.Answer.Accepted, later.Answer.Reason);
        await RelayTestEnvironment.WaitUntilAsync(() => env.Backend.Accepted == 1, TimeSpan.FromSeconds(5), "the session reached its resource");
    }

    [Fact]
    public async Task Hello_CachedProofWhileEveryCheckSlotTaken_AdmittedWithoutACheck()
    {
        using var verifier = new HeldVerifier();
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Good);
        env.AddTenant("fresh", Good);
        env.AddResource("acme", "repo");
        env.AddResource("fresh", "repo");
        var host = await env.StartHostAsync(o => o with { MaxConcurrentPasswordChecks = 1 }, verifier.Verify);
        var port = RelayTestEnvironment.PortOf(host, "gw");
        await using (var first = await RelayTestClient.ConnectAsync(port, "acme", Good, null))
        {
            Assert.True(first.Answer.Accepted, first.Answer.Reason);
        }

        verifier.Hold();
        var flood = RelayTestClient.ConnectAsync(port, "random-tenant", "random-password", "repo");
        await RelayTestEnvironment.WaitUntilAsync(() => verifier.Running == 1, TimeSpan.FromSeconds(10), "the only password check slot is taken");

        await using var cached = await RelayTestClient.ConnectAsync(port, "acme", Good, "repo");
        await using var firstLogon = await RelayTestClient.ConnectAsync(port, "fresh", Good, "repo");

        Assert.True(cached.Answer.Accepted, cached.Answer.Reason);
        Assert.Equal(RefusalReason.GatewayBusy, firstLogon.Answer.Reason);
        Assert.Equal(2, verifier.Calls);
        await cached.Tls.WriteAsync("ping"u8.ToArray());
        var echo = new byte[4];
        await cached.Tls.ReadExactlyAsync(echo).AsTask().WaitAsync(RelayTestClient.Timeout);
        Assert.Equal("ping"u8.ToArray(), echo);

        verifier.Release();
        await using var flooded = await flood;
        Assert.Equal(RefusalReason.InvalidCredentials, flooded.Answer.Reason);
    }

    [Fact]
    public async Task Hello_ParallelFirstLogonsOfOneTenantWithOneSlot_AllAdmittedAfterOneCheck()
    {
        using var verifier = new HeldVerifier();
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Good);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { MaxConcurrentPasswordChecks = 1 }, verifier.Verify);
        var port = RelayTestEnvironment.PortOf(host, "gw");

        verifier.Hold();
        var first = RelayTestClient.ConnectAsync(port, "acme", Good, "repo");
        await RelayTestEnvironment.WaitUntilAsync(() => verifier.Running == 1, TimeSpan.FromSeconds(10), "the first logon's check is running");
        var parallel = Enumerable.Range(0, 3).Select(_ => RelayTestClient.ConnectAsync(port, "acme", Good, "repo")).ToList();
        await using var otherPassword = await RelayTestClient.ConnectAsync(port, "acme", "not-" + Good, "repo");
        await Task.Delay(300);
        Assert.All(parallel, p => Assert.False(p.IsCompleted));
        verifier.Release();

        foreach (var pending in parallel.Prepend(first))
        {
            await using var client = await pending;
            Assert.True(client.Answer.Accepted, client.Answer.Reason);
        }

        Assert.Equal(RefusalReason.GatewayBusy, otherPassword.Answer.Reason);
        Assert.Equal(1, verifier.Calls);
    }

    [Fact]
    public async Task Hello_SourceOverThreshold_GatewayBusyWithoutACheckOtherSourceAdmitted()
    {
        using var verifier = new HeldVerifier();
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Good);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { SourceThrottle = new SourceThrottlePolicy(3, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), 100) }, verifier.Verify);
        var port = RelayTestEnvironment.PortOf(host, "gw");

        for (var i = 1; i <= 3; i++)
        {
            await using var wrong = await RelayTestClient.ConnectAsync(port, i == 2 ? "nobody" : "acme", "guess-" + i, "repo", from: SourceA);
            Assert.Equal(RefusalReason.InvalidCredentials, wrong.Answer.Reason);
        }

        Assert.True(env.Log.Has(216), env.Log.AllText());
        var checks = verifier.Calls;
        await using var throttled = await RelayTestClient.ConnectAsync(port, "acme", Good, "repo", from: SourceA);
        await using var throttledWrong = await RelayTestClient.ConnectAsync(port, "acme", "guess-4", "repo", from: SourceA);
        await using var other = await RelayTestClient.ConnectAsync(port, "acme", Good, "repo", from: SourceB);

        Assert.Equal(RefusalReason.GatewayBusy, throttled.Answer.Reason);
        Assert.Equal(RefusalReason.GatewayBusy, throttledWrong.Answer.Reason);
        Assert.Equal(2, env.Log.Events.Count(e => e.Id.Id == 215));
        Assert.True(other.Answer.Accepted, other.Answer.Reason);
        Assert.Equal(checks + 1, verifier.Calls);
        Assert.Equal(0, env.Store.GetTenant("acme").FailedLogonCount);
    }

    [Fact]
    public async Task Hello_ThrottledSourceAfterCooldown_AdmittedAgain()
    {
        var clock = new ShiftedTimeProvider();
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Good);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { SourceThrottle = new SourceThrottlePolicy(1, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), 100) }, timeProvider: clock);
        var port = RelayTestEnvironment.PortOf(host, "gw");
        await using (var wrong = await RelayTestClient.ConnectAsync(port, "acme", "guess", null, from: SourceA))
        {
            Assert.Equal(RefusalReason.InvalidCredentials, wrong.Answer.Reason);
        }

        clock.Shift = TimeSpan.FromMinutes(1.5);
        await using (var cooling = await RelayTestClient.ConnectAsync(port, "acme", Good, null, from: SourceA))
        {
            Assert.Equal(RefusalReason.GatewayBusy, cooling.Answer.Reason);
        }

        clock.Shift = TimeSpan.FromMinutes(2.5);
        await using var cooled = await RelayTestClient.ConnectAsync(port, "acme", Good, null, from: SourceA);
        Assert.True(cooled.Answer.Accepted, cooled.Answer.Reason);
    }

    [Fact]
    public async Task Hello_FloodFromManySources_TableBoundedOldestSourceForgotten()
    {
        using var verifier = new HeldVerifier();
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Good);
        var host = await env.StartHostAsync(o => o with { SourceThrottle = new SourceThrottlePolicy(2, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), 4) }, verifier.Verify);
        var port = RelayTestEnvironment.PortOf(host, "gw");
        for (var i = 0; i < 2; i++)
        {
            await using var wrong = await RelayTestClient.ConnectAsync(port, "acme", "guess", null, from: SourceA);
        }

        await using (var blocked = await RelayTestClient.ConnectAsync(port, "acme", Good, null, from: SourceA))
        {
            Assert.Equal(RefusalReason.GatewayBusy, blocked.Answer.Reason);
        }

        for (var i = 10; i < 22; i++)
        {
            await using var wrong = await RelayTestClient.ConnectAsync(port, "nobody-" + i, "guess", null, from: IPAddress.Parse("127.0.0." + i));
            Assert.Equal(RefusalReason.InvalidCredentials, wrong.Answer.Reason);
            Assert.InRange(host.SourceThrottle.Count, 1, 4);
        }

        Assert.Equal(4, host.SourceThrottle.Count);
        await using var forgotten = await RelayTestClient.ConnectAsync(port, "acme", Good, null, from: SourceA);
        Assert.True(forgotten.Answer.Accepted, forgotten.Answer.Reason);
    }

    /// <summary>The system clock moved forward by <see cref="Shift"/>; timers run on the system clock.</summary>
    private sealed class ShiftedTimeProvider : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }
}
