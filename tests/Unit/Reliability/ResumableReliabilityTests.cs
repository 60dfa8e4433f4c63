using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using CloudGateway.Client;
using CloudGateway.Protocol;
using CloudGateway.Relay;
using CloudGateway.Resumable;
using CloudGateway.Tests.Client;
using CloudGateway.Tests.Relay;
using Xunit.Abstractions;
using CutProxy = CloudGateway.Tests.Relay.FaultProxy;

namespace CloudGateway.Tests.Reliability;

/// <summary>Issue 17: a resumable session survives many cuts of a long transfer, and many broken sessions stay within the gateway's caps.</summary>
[Collection(SerialReliability.Name)]
[Trait("Category", "Long")]
public sealed class ResumableReliabilityTests(ITestOutputHelper output)
{
    private const string Password = "resumable-password";
    private const int Cuts = 10;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The application keeps at most 2 MiB on its way through the echo (as a request/response protocol would): less
    /// than a window, so the session's flow control cannot jam (see the next test).
    /// </summary>
    [Fact]
    public Task Resumable_TwoGibibytesEchoedWithTheLinkCutTenTimes_ArrivesIntactWithTenResumes() => EchoThroughCutsAsync(outstanding: 2 * 1024 * 1024);

    /// <summary>
    /// The same with the writer never waiting for the echo. It used to stall after 100-200 MiB, before the first cut:
    /// the gateway stopped reading its tenant connection while its receive buffer was full, and with it the
    /// acknowledgements its own writer waited for (the echo resource could not write, so it did not read). Since then a
    /// side always reads its frames and acknowledges what its application has read.
    /// </summary>
    [Fact]
    public Task Resumable_TwoGibibytesEchoedUnpaced_ArrivesIntact() => EchoThroughCutsAsync(outstanding: long.MaxValue);

    private async Task EchoThroughCutsAsync(long outstanding)
    {
        var total = long.TryParse(Environment.GetEnvironmentVariable("CLOUDGATEWAY_RESUMABLE_BYTES"), out var b) ? b : 2L * 1024 * 1024 * 1024;
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Password);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { ResumableGracePeriod = TimeSpan.FromSeconds(30), IdleTimeout = TimeSpan.FromSeconds(60) });
        await using var proxy = new CutProxy(RelayTestEnvironment.PortOf(host, "gw"));
        await using var stream = await Client(proxy.Port).OpenResumableAsync("repo", CancellationToken.None);

        var pattern = new Pattern();
        var resumeTimes = new List<double>();
        long written = 0, echoed = 0;
        using var credit = new SemaphoreSlim((int)Math.Min(outstanding / Pattern.Block, int.MaxValue / 2));
        var started = Stopwatch.StartNew();
        var writing = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var chunk = new byte[Pattern.Block];
            for (long offset = 0; offset < total; offset += Pattern.Block)
            {
                var count = (int)Math.Min(Pattern.Block, total - offset);
                await credit.WaitAsync();
                pattern.Fill(offset, chunk.AsSpan(0, count));
                hash.AppendData(chunk, 0, count);
                await stream.WriteAsync(chunk.AsMemory(0, count));
                Volatile.Write(ref written, offset + count);
            }

            await stream.ShutdownWriteAsync();
            return (hash.GetHashAndReset(), started.Elapsed);
        });

        // The reader cuts the link each time another eleventh of the transfer came back, once the session is connected
        // again after the cut before, so that every cut breaks a connection that carries data and costs exactly one resume.
        var reading = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[256 * 1024];
            long received = 0, released = 0;
            var cuts = 0;
            var watching = Task.CompletedTask;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                received += read;
                Volatile.Write(ref echoed, received);
                for (; released + Pattern.Block <= received; released += Pattern.Block)
                {
                    credit.Release();
                }

                // The reader goes on reading while the session resumes: a reader that stopped would leave the receive
                // buffer full, and a side that reads nothing from its connection does not notice the cut either.
                if (cuts < Cuts && received >= (cuts + 1) * (total / (Cuts + 1)) && watching.IsCompleted && stream.IsConnected)
                {
                    await watching;
                    var resumes = stream.Resumes;
                    var cutAt = Stopwatch.GetTimestamp();
                    Assert.True(proxy.Cut() > 0, $"cut {cuts + 1} broke no connection");
                    cuts++;
                    var cut = cuts;
                    watching = Task.Run(async () =>
                    {
                        while (stream.Resumes == resumes || !stream.IsConnected)
                        {
                            Assert.True(Stopwatch.GetElapsedTime(cutAt) < Limit, $"the session resumed after cut {cut}: {stream}\n{env.Log.AllText()}");
                            await Task.Delay(1);
                        }

                        lock (resumeTimes)
                        {
                            resumeTimes.Add(Stopwatch.GetElapsedTime(cutAt).TotalMilliseconds);
                        }
                    });
                }
            }

            await watching;
            return (hash.GetHashAndReset(), received, cuts, started.Elapsed);
        });

        // Fails as soon as either side fails or nothing moves for 30 s, saying where each side stands.
        long lastMoved = Stopwatch.GetTimestamp(), lastTotal = -1;
        while (!(writing.IsCompleted && reading.IsCompleted))
        {
            await Task.WhenAny(Task.WhenAll(writing, reading), Task.Delay(1000));
            if (writing.IsFaulted || reading.IsFaulted)
            {
                break;
            }

            var moved = Volatile.Read(ref written) + Volatile.Read(ref echoed);
            if (moved != lastTotal)
            {
                (lastTotal, lastMoved) = (moved, Stopwatch.GetTimestamp());
            }

            Assert.True(
                Stopwatch.GetElapsedTime(lastMoved) < TimeSpan.FromSeconds(30),
                $"stalled: written {Volatile.Read(ref written):N0}, echoed {Volatile.Read(ref echoed):N0}, resumes {stream.Resumes}\nclient: {stream}\ngateway: {string.Join(", ", host.DescribeResumableSessions())}\n{env.Log.AllText()}");
        }

        var (sentHash, wrote) = await writing;
        var (echoedHash, received, cuts, done) = await reading;

        var mib = total / (1024.0 * 1024);
        output.WriteLine($"at most {Math.Min(outstanding, total) / (1024.0 * 1024):N0} MiB on its way through the echo");
        output.WriteLine($"{mib:N0} MiB each way through {Cuts} cuts: written in {wrote.TotalSeconds:N1} s, echoed back in {done.TotalSeconds:N1} s ({mib / done.TotalSeconds:N0} MiB/s each way, engine {TestRelayEngine.Selected})");
        output.WriteLine($"resume after a cut (cut to reconnected, ms): {string.Join(", ", resumeTimes.Select(t => t.ToString("N1")))}; median {Median(resumeTimes):N1}, max {resumeTimes.DefaultIfEmpty().Max():N1}");
        output.WriteLine($"resumes {stream.Resumes}; resource connections {env.Backend.Accepted}");
        Assert.Equal(total, received);
        Assert.Equal(sentHash, echoedHash);
        Assert.Equal(Cuts, cuts);
        Assert.Equal(Cuts, stream.Resumes);
        Assert.Equal(1, env.Backend.Accepted);
    }

    [Fact]
    public async Task Resumable_ThousandSessionsDisconnectedAtOnce_StayWithinTheMemoryCapAndAllExpire()
    {
        const int Sessions = 1000;
        var grace = TimeSpan.FromSeconds(3);

        // A small window, so that a thousand sessions each holding a full window of echoed, unacknowledged bytes fit
        // this machine; the cap promises exactly a thousand sessions, so the next resumable hello must be refused.
        var resumable = new ResumableOptions(64 * 1024, 16 * 1024, TimeSpan.FromMilliseconds(20));
        var promise = RelayHost.ResumablePromise(resumable);
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Password);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with
        {
            ResumableGracePeriod = grace,
            Resumable = resumable,
            ResumableMemoryPerGateway = Sessions * promise,
        });
        var port = RelayTestEnvironment.PortOf(host, "gw");

        // Each session sends one window of data and never acknowledges the echo: the gateway then holds a full window
        // for replay, the most a session may hold of what it sent.
        var payload = RandomNumberGenerator.GetBytes(resumable.Window);
        var frame = new byte[ResumableFrame.DataHeaderLength + payload.Length];
        ResumableFrame.WriteDataHeader(frame, 0, payload.Length);
        payload.CopyTo(frame.AsSpan(ResumableFrame.DataHeaderLength));
        var hello = FrameCodec.Encode(new Hello { Tenant = "acme", Password = Password, Resource = "repo", Resumable = true });

        var clients = new RelayTestClient[Sessions];
        var opening = Stopwatch.StartNew();
        var next = -1;
        // One hello at a time by default: the managed engine connects a resumable session's resource synchronously on a
        // thread-pool thread during admission (RelayHost.ConnectResource), so on this 2-core machine 8 hellos at once
        // starve the pool and hellos time out (CLOUDGATEWAY_RESUMABLE_OPENERS=8 with the managed engine shows it).
        var openers = int.TryParse(Environment.GetEnvironmentVariable("CLOUDGATEWAY_RESUMABLE_OPENERS"), out var o) ? o : 1;
        await Task.WhenAll(Enumerable.Range(0, openers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Sessions)
            {
                try
                {
                    clients[i] = await RelayTestClient.ConnectAsync(port, hello, pipelined: null);
                }
                catch (IOException ex)
                {
                    var log = env.Log.AllText();
                    Assert.Fail($"session {i}: {ex.Message}\n{log[Math.Max(0, log.Length - 3000)..]}");
                }

                Assert.True(clients[i].Answer.Accepted, $"session {i}: {clients[i].Answer.Reason}");
                await clients[i].Tls.WriteAsync(frame).AsTask().WaitAsync(RelayTestClient.Timeout);
            }
        }))).WaitAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"{Sessions} resumable sessions opened in {opening.Elapsed.TotalSeconds:N1} s by {openers} opener(s); engine {TestRelayEngine.Selected}");

        await RelayTestEnvironment.WaitUntilAsync(() => env.Backend.Open == Sessions && host.ResumableBufferedBytes >= Sessions * (long)resumable.Window, Limit, $"every session's window came back from the echo (resource connections {env.Backend.Open}, buffered {host.ResumableBufferedBytes})");
        var attachedBuffered = host.ResumableBufferedBytes;
        output.WriteLine($"attached: {host.ResumableSessionCount} sessions buffering {attachedBuffered:N0} B (cap {host.Options.ResumableMemoryPerGateway:N0} B)");

        await using (var beyond = await RelayTestClient.ConnectAsync(port, hello))
        {
            Assert.Equal(RefusalReason.GatewayBusy, beyond.Answer.Reason);
        }

        var cutAt = Stopwatch.StartNew();
        foreach (var client in clients)
        {
            client.Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
            client.Socket.Dispose();
        }

        long peak = 0;
        await RelayTestEnvironment.WaitUntilAsync(() => host.DetachedResumableSessionCount == Sessions, Limit, $"every session noticed the break ({host.DetachedResumableSessionCount} detached)");
        var detachedAfter = cutAt.Elapsed;
        await using (var beyond = await RelayTestClient.ConnectAsync(port, hello))
        {
            Assert.Equal(RefusalReason.GatewayBusy, beyond.Answer.Reason);
        }

        await RelayTestEnvironment.WaitUntilAsync(
            () =>
            {
                var buffered = host.ResumableBufferedBytes;
                peak = Math.Max(peak, buffered);
                Assert.InRange(buffered, 0, host.Options.ResumableMemoryPerGateway);
                return host.ResumableSessionCount == 0 && host.DetachedResumableSessionCount == 0;
            },
            grace + Limit,
            $"every session expired ({host.ResumableSessionCount} left, {host.DetachedResumableSessionCount} detached)");
        var expiredAfter = cutAt.Elapsed;
        await RelayTestEnvironment.WaitUntilAsync(() => env.Backend.Open == 0, Limit, $"the resource connections closed ({env.Backend.Open} open)");
        output.WriteLine($"all {Sessions} detached after {detachedAfter.TotalMilliseconds:N0} ms, peak buffered while detached {peak:N0} B; all expired after {expiredAfter.TotalMilliseconds:N0} ms (grace {grace.TotalSeconds} s); resource connections closed after {cutAt.Elapsed.TotalMilliseconds:N0} ms");
        Assert.InRange(attachedBuffered, Sessions * (long)resumable.Window, host.Options.ResumableMemoryPerGateway);
        Assert.True(expiredAfter >= grace, $"sessions expired after {expiredAfter}, before their grace period of {grace}");
        Assert.Equal(0, host.ResumableBufferedBytes);

        // The memory they were promised is free again.
        await using var after = await RelayTestClient.ConnectAsync(port, hello);
        Assert.True(after.Answer.Accepted, after.Answer.Reason);
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static GatewayClient Client(int port) => new(
        new GatewayClientSettings
        {
            Address = "127.0.0.1",
            Port = port,
            Credential = new NetworkCredential("acme", Password),
            CertificateThumbprint = Relay.TestCertificates.LoadGateway().GetCertHashString(HashAlgorithmName.SHA256),
        },
        new MemoryGatewayListStore());

    /// <summary>
    /// Bytes that differ at every offset of a long stream, cheap to make: a random 1 MiB, read from a place that moves
    /// with each block, and the block's own offset stamped at its start. A byte lost or repeated anywhere shifts what
    /// follows, so the hash of what came back differs.
    /// </summary>
    private sealed class Pattern
    {
        public const int Block = 64 * 1024;
        private readonly byte[] _random = RandomNumberGenerator.GetBytes((1024 * 1024) + Block);

        public void Fill(long offset, Span<byte> destination)
        {
            var start = (int)((offset / Block * 8191) % (1024 * 1024));
            _random.AsSpan(start, destination.Length).CopyTo(destination);
            if (destination.Length >= sizeof(long))
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(destination, offset);
            }
        }
    }
}
