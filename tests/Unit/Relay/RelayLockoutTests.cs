using System.Net;
using CloudGateway.Protocol;
using CloudGateway.Relay;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Relay;

/// <summary>Per-source locks, trusted sources and the tenant-wide lock, through a real host over TLS from several loopback sources.</summary>
[Collection(RelayTestGroup.Name)]
public sealed class RelayLockoutTests
{
    private const string Good = "lockout-password";
    private static readonly IPAddress Tenant = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.3");

    /// <summary>The tests are about lockouts, not the per-source throttle, which would hold off a stranger first.</summary>
    private static readonly SourceThrottlePolicy Unthrottled = SourceThrottlePolicy.Default with { Threshold = int.MaxValue };

    [Fact]
    public async Task Hello_StrangerLockAttemptWhileTenantKeepsConnecting_TenantAdmittedStrangerLockedOut()
    {
        await using var env = new RelayTestEnvironment();
        var port = RelayTestEnvironment.PortOf(await StartAsync(env, LockoutPolicy.Default), "gw");

        for (var i = 0; i < 12; i++)
        {
            await using var guess = await RelayTestClient.ConnectAsync(port, "acme", "guess-" + i, null, from: Stranger);
            Assert.Equal(i < 5 ? RefusalReason.InvalidCredentials : RefusalReason.TenantLocked, guess.Answer.Reason);
            await using var tenant = await RelayTestClient.ConnectAsync(port, "acme", Good, null, from: Tenant);
            Assert.True(tenant.Answer.Accepted, $"after {i + 1} guesses: {tenant.Answer.Reason}");
        }

        await using var newSource = await RelayTestClient.ConnectAsync(port, "acme", Good, null, from: IPAddress.Parse("127.0.0.4"));
        Assert.True(newSource.Answer.Accepted, newSource.Answer.Reason);
        Assert.Null(env.Store.GetTenant("acme").LockedUntil);
        Assert.Equal(1, env.Log.Events.Count(e => e.Id.Id == 217));
        Assert.Equal(7, env.Log.Events.Count(e => e.Id.Id == 218));
        Assert.False(env.Log.Has(207));
    }

    [Fact]
    public async Task Hello_SourceLocked_SameAnswerWhateverThePasswordOrTenantAndNoPasswordCheck()
    {
        await using var env = new RelayTestEnvironment();
        var port = RelayTestEnvironment.PortOf(await StartAsync(env, LockoutPolicy.Default with { SourceThreshold = 2 }), "gw");
        foreach (var name in new[] { "acme", "nobody" })
        {
            for (var i = 0; i < 2; i++)
            {
                await using var guess = await RelayTestClient.ConnectAsync(port, name, "guess-" + i, null, from: Stranger);
                Assert.Equal(RefusalReason.InvalidCredentials, guess.Answer.Reason);
            }
        }

        var checks = env.HashChecks;
        await using var right = await RelayTestClient.ConnectAsync(port, "acme", Good, null, from: Stranger);
        await using var wrong = await RelayTestClient.ConnectAsync(port, "acme", "guess-2", null, from: Stranger);
        await using var unknown = await RelayTestClient.ConnectAsync(port, "nobody", Good, null, from: Stranger);

        Assert.Equal(RefusalReason.TenantLocked, right.Answer.Reason);
        Assert.Equal(right.AnswerFrame, wrong.AnswerFrame);
        Assert.Equal(right.AnswerFrame, unknown.AnswerFrame);
        Assert.Equal(checks, env.HashChecks);
        Assert.Equal(2, env.Log.Events.Count(e => e.Id.Id == 217));
        Assert.DoesNotContain(Good, env.Log.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_ManyFailuresFromManySources_LockTenantAuditedButNotTrustedSourceUntilUnlocked()
    {
        await using var env = new RelayTestEnvironment();
        var host = await StartAsync(env, new LockoutPolicy(6, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)) { Sources = 3, SourceThreshold = 4 });
        var port = RelayTestEnvironment.PortOf(host, "gw");
        await using (var first = await RelayTestClient.ConnectAsync(port, "acme", Good, null, from: Tenant))
        {
            Assert.True(first.Answer.Accepted, first.Answer.Reason);
        }

        await GuessAsync(port, "127.0.0.10", 3);
        await GuessAsync(port, "127.0.0.11", 3);
        Assert.Null(env.Store.GetTenant("acme").LockedUntil);
        Assert.False(env.Log.Has(207));

        await GuessAsync(port, "127.0.0.12", 1);
        Assert.NotNull(env.Store.GetTenant("acme").LockedUntil);
        Assert.True(env.Log.Has(207), env.Log.AllText());

        var checks = env.HashChecks;
        await using (var right = await RelayTestClient.ConnectAsync(port, "acme", Good, "repo", from: Stranger))
        await using (var wrong = await RelayTestClient.ConnectAsync(port, "acme", "guess", "repo", from: Stranger))
        {
            Assert.Equal(RefusalReason.TenantLocked, right.Answer.Reason);
            Assert.Equal(right.AnswerFrame, wrong.AnswerFrame);
            Assert.Equal(checks, env.HashChecks);
            Assert.Equal(2, env.Log.Events.Count(e => e.Id.Id == 206));
        }

        await using (var trusted = await RelayTestClient.ConnectAsync(port, "acme", Good, "repo", from: Tenant))
        {
            Assert.True(trusted.Answer.Accepted, trusted.Answer.Reason);
        }

        Assert.NotNull(env.Store.GetTenant("acme").LockedUntil);
        env.Store.ResetFailedLogons("acme");
        await RelayTestEnvironment.WaitUntilAsync(() => host.ConfigurationChangeCounter == env.Store.GetChangeCounter(), TimeSpan.FromSeconds(5), "the unlock reached the host");
        await using var unlocked = await RelayTestClient.ConnectAsync(port, "acme", Good, "repo", from: Stranger);
        Assert.True(unlocked.Answer.Accepted, unlocked.Answer.Reason);
    }

    [Fact]
    public async Task Hello_UnknownNameFromManySources_LockedLikeATenant()
    {
        await using var env = new RelayTestEnvironment();
        var port = RelayTestEnvironment.PortOf(await StartAsync(env, new LockoutPolicy(2, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)) { Sources = 2 }), "gw");
        foreach (var name in new[] { "acme", "nobody" })
        {
            foreach (var source in new[] { "127.0.0.10", "127.0.0.11" })
            {
                await using var guess = await RelayTestClient.ConnectAsync(port, name, "guess", null, from: IPAddress.Parse(source));
                Assert.Equal(RefusalReason.InvalidCredentials, guess.Answer.Reason);
            }
        }

        await using var known = await RelayTestClient.ConnectAsync(port, "acme", Good, null, from: Stranger);
        await using var unknown = await RelayTestClient.ConnectAsync(port, "nobody", Good, null, from: Stranger);
        Assert.Equal(RefusalReason.TenantLocked, known.Answer.Reason);
        Assert.Equal(known.AnswerFrame, unknown.AnswerFrame);
    }

    private static Task<RelayHost> StartAsync(RelayTestEnvironment env, LockoutPolicy policy)
    {
        env.AddGateway("gw");
        env.AddTenant("acme", Good);
        env.AddResource("acme", "repo");
        return env.StartHostAsync(o => o with { LockoutPolicy = policy, SourceThrottle = Unthrottled });
    }

    private static async Task GuessAsync(int port, string source, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var guess = await RelayTestClient.ConnectAsync(port, "acme", "guess-" + i, null, from: IPAddress.Parse(source));
            Assert.Equal(RefusalReason.InvalidCredentials, guess.Answer.Reason);
        }
    }
}
