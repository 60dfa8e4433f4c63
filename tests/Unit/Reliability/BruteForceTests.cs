using System.Diagnostics;
using CloudGateway.Protocol;
using CloudGateway.Storage;
using CloudGateway.Tests.Relay;
using Xunit.Abstractions;

namespace CloudGateway.Tests.Reliability;

/// <summary>Issue 7 item 4: brute force locks the tenant; unknown tenant and wrong password cannot be told apart by answer or latency.</summary>
[Collection(SerialReliability.Name)]
[Trait("Category", "Long")]
public sealed class BruteForceTests(ITestOutputHelper output)
{
    private const string Right = "right-password";

    [Fact]
    public async Task FiftyWrongPasswords_LockTenant_RightOneRefusedWhileLocked()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Right);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { LockoutPolicy = new LockoutPolicy(50, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)) });
        var port = RelayTestEnvironment.PortOf(host, "gw");

        for (var i = 1; i <= 50; i++)
        {
            await using var wrong = await RelayTestClient.ConnectAsync(port, "acme", "guess-" + i, "repo");
            Assert.Equal(RefusalReason.InvalidCredentials, wrong.Answer.Reason);
            Assert.True((env.Store.GetTenant("acme").LockedUntil is null) == (i < 50), $"after {i} wrong passwords the lock is {env.Store.GetTenant("acme").LockedUntil}");
        }

        await using (var locked = await RelayTestClient.ConnectAsync(port, "acme", Right, "repo"))
        {
            Assert.Equal(RefusalReason.TenantLocked, locked.Answer.Reason);
        }

        await using (var lockedList = await RelayTestClient.ConnectAsync(port, "acme", Right, null))
        {
            Assert.Equal(RefusalReason.TenantLocked, lockedList.Answer.Reason);
        }

        output.WriteLine($"50 wrong passwords: locked until {env.Store.GetTenant("acme").LockedUntil:O}; right password refused tenant-locked; hash checks {env.HashChecks}");
        Assert.Equal(0, env.Backend.Accepted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownTenantAndWrongPassword_IdenticalAnswersAndIndistinguishableLatency(bool tenantLoggedOnBefore)
    {
        var samples = int.TryParse(Environment.GetEnvironmentVariable("CLOUDGATEWAY_TIMING_SAMPLES"), out var n) ? n : 200;
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Right);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { LockoutPolicy = new LockoutPolicy(1_000_000, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)) });
        var port = RelayTestEnvironment.PortOf(host, "gw");
        if (tenantLoggedOnBefore)
        {
            await using var ok = await RelayTestClient.ConnectAsync(port, "acme", Right, "repo");
            Assert.True(ok.Answer.Accepted, ok.Answer.Reason);
        }

        var unknown = new List<double>();
        var wrong = new List<double>();
        byte[]? firstAnswer = null;
        var order = new Random(7);
        for (var i = 0; i < samples; i++)
        {
            var unknownFirst = order.Next(2) == 0;
            foreach (var isUnknown in unknownFirst ? new[] { true, false } : [false, true])
            {
                var (answer, elapsed) = await TimeHelloAsync(port, isUnknown ? "nobody-" + i : "acme", "guess-" + i);
                firstAnswer ??= answer;
                Assert.Equal(firstAnswer, answer);
                (isUnknown ? unknown : wrong).Add(elapsed.TotalMilliseconds);
            }
        }

        var mannWhitney = TwoSampleTests.MannWhitneyP(unknown, wrong);
        var kolmogorovSmirnov = TwoSampleTests.KolmogorovSmirnovP(unknown, wrong);
        output.WriteLine($"tenant logged on before: {tenantLoggedOnBefore}; {samples} interleaved samples each");
        output.WriteLine($"unknown tenant: median {Median(unknown):F1} ms; wrong password: median {Median(wrong):F1} ms");
        output.WriteLine($"Mann-Whitney p = {mannWhitney:F3}; Kolmogorov-Smirnov p = {kolmogorovSmirnov:F3}; answer {System.Text.Encoding.UTF8.GetString(firstAnswer!).TrimEnd()}");
        Assert.True(mannWhitney > 0.01, $"Mann-Whitney tells the two apart: p = {mannWhitney}");
        Assert.True(kolmogorovSmirnov > 0.01, $"Kolmogorov-Smirnov tells the two apart: p = {kolmogorovSmirnov}");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>Time from sending the hello to reading the answer, on an established TLS connection.</summary>
    private static async Task<(byte[] Answer, TimeSpan Elapsed)> TimeHelloAsync(int port, string tenant, string password)
    {
        var (socket, tls) = await RelayTestClient.OpenTlsAsync(port);
        using (socket)
        await using (tls)
        {
            var hello = FrameCodec.Encode(new Hello { Tenant = tenant, Password = password, Resource = "repo" });
            var buffer = new byte[WireProtocol.MaxFrameBytes];
            var watch = Stopwatch.StartNew();
            await tls.WriteAsync(hello);
            var (length, _) = await FrameCodec.ReadFrameAsync(tls, buffer, CancellationToken.None).AsTask().WaitAsync(RelayTestClient.Timeout);
            var elapsed = watch.Elapsed;
            return (buffer.AsSpan(0, length + 1).ToArray(), elapsed);
        }
    }
}
