using System.Diagnostics;
using System.Security.Cryptography;
using CloudGateway.Tests.Relay;
using Xunit.Abstractions;

namespace CloudGateway.Tests.Reliability;

/// <summary>Issue 7 item 8: 200 tenants x 5 sessions move data for a minute; every byte verified by hash, no session lost.</summary>
[Collection(SerialReliability.Name)]
[Trait("Category", "Long")]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Tenants = 200;
    private const int SessionsPerTenant = 5;

    [Fact]
    public async Task TwoHundredTenantsFiveSessionsEach_EveryByteVerifiedNoSessionLost()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("CLOUDGATEWAY_SOAK_SECONDS"), out var s) ? s : 60;
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        for (var t = 0; t < Tenants; t++)
        {
            env.AddTenant($"tenant{t:D3}", "soak-password", x => x with { MaxConcurrentSessions = SessionsPerTenant });
            env.AddResource($"tenant{t:D3}", "repo");
        }

        using var certificate = TestCertificates.LoadGateway();
        var host = await CheapVerifier.StartHostAsync(env.Store, CheapVerifier.Options(certificate) with { HandshakeTimeout = TimeSpan.FromSeconds(60) });
        try
        {
            var port = RelayTestEnvironment.PortOf(host, "gw");
            var deadline = Stopwatch.StartNew();
            var duration = TimeSpan.FromSeconds(seconds);
            var sessions = Enumerable.Range(0, Tenants * SessionsPerTenant)
                .Select(i => RunSessionAsync(port, $"tenant{i / SessionsPerTenant:D3}", i, deadline, duration))
                .ToList();
            var peak = 0;
            while (!sessions.TrueForAll(t => t.IsCompleted) && deadline.Elapsed < duration + TimeSpan.FromMinutes(3))
            {
                peak = Math.Max(peak, Traffic.Sessions(host));
                await Task.Delay(100);
            }

            var results = await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromMinutes(1));
            var statistics = host.GetGatewayStatistics().Single();
            var verified = results.Sum(r => r.Bytes);
            output.WriteLine($"{Tenants} tenants x {SessionsPerTenant} sessions for {seconds} s: {results.Length} sessions, peak {peak} at once, {results.Count(r => r.Intact)} intact, {verified / (1 << 20)} MiB verified by SHA-256 each way ({verified / (1 << 20) / Math.Max(1, seconds)} MiB/s), fewest {results.Min(r => r.Rounds)} rounds in a session");
            output.WriteLine($"host: {statistics.SessionsAccepted} sessions accepted, {statistics.Refusals} refused, {statistics.BytesIn >> 20} MiB in, {statistics.BytesOut >> 20} MiB out");
            Assert.All(results, r => Assert.True(r.Intact, r.Error));
            Assert.Equal(Tenants * SessionsPerTenant, statistics.SessionsAccepted);
            Assert.Equal(0, statistics.Refusals);
            Assert.True(peak >= Tenants * SessionsPerTenant * 9 / 10, $"only {peak} sessions ran at once");
            Assert.All(results, r => Assert.True(r.Rounds > 0, "a session moved nothing"));
            Assert.Equal(verified, statistics.BytesIn);
            Assert.Equal(verified, statistics.BytesOut);
        }
        finally
        {
            await host.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static async Task<SessionResult> RunSessionAsync(int port, string tenant, int index, Stopwatch clock, TimeSpan duration)
    {
        await Task.Yield();
        var random = new Random(index);
        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        var rounds = 0;
        try
        {
            await using var client = await RelayTestClient.ConnectAsync(port, tenant, "soak-password", "repo").WaitAsync(TimeSpan.FromSeconds(90));
            if (!client.Answer.Accepted)
            {
                return new SessionResult(false, 0, 0, $"{tenant} refused: {client.Answer.Reason}");
            }

            var back = new byte[64 * 1024];
            while (clock.Elapsed < duration)
            {
                var chunk = RandomNumberGenerator.GetBytes(random.Next(1, 64 * 1024));
                sent.AppendData(chunk);
                var write = client.Tls.WriteAsync(chunk).AsTask();
                await client.Tls.ReadExactlyAsync(back.AsMemory(0, chunk.Length)).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
                await write;
                received.AppendData(back, 0, chunk.Length);
                bytes += chunk.Length;
                rounds++;
            }

            await client.Tls.ShutdownAsync();
            var tail = await client.ReadToEndAsync(TimeSpan.FromSeconds(30));
            var intact = tail == 0 && sent.GetHashAndReset().AsSpan().SequenceEqual(received.GetHashAndReset());
            return new SessionResult(intact, bytes, rounds, intact ? null : $"{tenant}: hash mismatch or {tail} unexpected bytes");
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or EndOfStreamException or System.Net.Sockets.SocketException)
        {
            return new SessionResult(false, bytes, rounds, $"{tenant} lost after {bytes} bytes: {ex.GetType().Name} {ex.Message}");
        }
    }

    private sealed record SessionResult(bool Intact, long Bytes, int Rounds, string? Error);
}
