using System.Security.Cryptography;
using CloudGateway.Relay;

namespace CloudGateway.Tests.Relay;

[Collection(RelayTestGroup.Name)]
public sealed class RelayTransferTests
{
    [Fact]
    public async Task Relay_100MegabytesBothWays_ArriveIntactWithPipelinedBytes()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw1");
        env.AddTenant("acme", "s3cret");
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync();
        var pipelined = RandomNumberGenerator.GetBytes(1000);

        await using var client = await RelayTestClient.ConnectAsync(RelayTestEnvironment.PortOf(host, "gw1"), "acme", "s3cret", "repo", pipelined);
        Assert.True(client.Answer.Accepted, client.Answer.Reason);

        const long total = 100L * 1024 * 1024;
        using var sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sentHash.AppendData(pipelined);
        var expected = total + pipelined.Length;
        var send = Task.Run(async () =>
        {
            var chunk = new byte[64 * 1024];
            var seed = new Random(42);
            for (long sent = 0; sent < total; sent += chunk.Length)
            {
                seed.NextBytes(chunk);
                sentHash.AppendData(chunk);
                await client.Tls.WriteAsync(chunk);
            }
        });
        var receive = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            long received = 0;
            while (received < expected)
            {
                var read = await client.Tls.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, expected - received)));
                Assert.True(read > 0, $"the relay ended the stream after {received} of {expected} bytes");
                receivedHash.AppendData(buffer, 0, read);
                received += read;
            }

            return received;
        });

        var started = System.Diagnostics.Stopwatch.StartNew();
        await send.WaitAsync(TimeSpan.FromSeconds(120));
        var receivedBytes = await receive.WaitAsync(TimeSpan.FromSeconds(120));
        // close_notify only once no read is in flight: SslStream on OpenSSL may fail a shutdown that races a read.
        await client.Tls.ShutdownAsync();
        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Assert.Equal(0, await client.ReadToEndAsync(TimeSpan.FromSeconds(10)));
        Console.WriteLine($"100 MiB each way through the relay in {started.Elapsed.TotalSeconds:F2} s");

        Assert.Equal(expected, receivedBytes);
        Assert.Equal(Convert.ToHexString(sentHash.GetHashAndReset()), Convert.ToHexString(receivedHash.GetHashAndReset()));
        await RelayTestEnvironment.WaitUntilAsync(() => host.GetSessions().Count == 0, TimeSpan.FromSeconds(5), "the session ended");
        var stats = host.GetGatewayStatistics().Single();
        Assert.Equal(total + pipelined.Length, stats.BytesIn);
        Assert.Equal(total + pipelined.Length, stats.BytesOut);
        Assert.Equal(1, stats.SessionsAccepted);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RelayTestGroup
{
    public const string Name = "Relay";
}
