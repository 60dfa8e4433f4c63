using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CloudGateway.Client;

namespace CloudGateway.BenchHost;

/// <summary>
/// The tenant side and the resource of bench/resumable.sh (issue 17), one phase per run against a relay process of
/// its own (<c>serve</c>): the resource listens on the bench database's backend port in this process.
/// <list type="bullet">
/// <item><c>throughput</c>: BYTES up and BYTES down through a plain and a resumable session, alternating, REPS times; Gbit/s.</item>
/// <item><c>resume</c>: CUTS cuts of a resumable session's link (a proxy in this process resets both sides); from the
/// cut to the first byte echoed through the resumed session, and to the client's reconnection.</item>
/// <item><c>memory-plain</c>, <c>memory-resumable</c>: SESSIONS idle sessions; the relay's RSS and live managed heap
/// (SIGHUP: it prints them after a full collection) before and after, per session; for resumable sessions also after
/// every link was cut and the client's resumes are refused by the proxy, so the relay holds them all detached.</item>
/// </list>
/// Output: one <c>key=value</c> line per measurement, prefixed by the phase.
/// </summary>
internal static class ResumableProbe
{
    private const byte Upload = (byte)'U';
    private const byte Download = (byte)'D';
    private const byte Echo = (byte)'E';
    private const byte Hold = (byte)'H';
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(string phase, int gatewayPort, int backendPort, string thumbprint, int relayPid, string relayLog)
    {
        using var backend = new Resource(backendPort);
        var client = new GatewayClient(new GatewayClientSettings
        {
            Name = "bench",
            Address = "127.0.0.1",
            Port = gatewayPort,
            Credential = new NetworkCredential(BenchDatabase.Tenant, BenchDatabase.Password),
            CertificateThumbprint = thumbprint,
        });
        switch (phase)
        {
            case "throughput":
                await ThroughputAsync(client, relayPid).ConfigureAwait(false);
                return 0;
            case "resume":
                await ResumeAsync(gatewayPort, thumbprint).ConfigureAwait(false);
                return 0;
            case "memory-plain":
            case "memory-resumable":
                await MemoryAsync(phase == "memory-resumable", gatewayPort, thumbprint, relayPid, relayLog).ConfigureAwait(false);
                return 0;
            default:
                return Commands.Usage();
        }
    }

    private static int Setting(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;

    private static GatewayClient ClientOf(int port, string thumbprint) => new(new GatewayClientSettings
    {
        Name = "bench",
        Address = "127.0.0.1",
        Port = port,
        Credential = new NetworkCredential(BenchDatabase.Tenant, BenchDatabase.Password),
        CertificateThumbprint = thumbprint,
    });

    private static async Task<Stream> OpenAsync(GatewayClient client, bool resumable) =>
        resumable ? await client.OpenResumableAsync(BenchDatabase.Resource, CancellationToken.None).ConfigureAwait(false)
            : await client.OpenResourceAsync(BenchDatabase.Resource, CancellationToken.None).ConfigureAwait(false);

    private static byte[] Command(byte mode, long count)
    {
        var command = new byte[9];
        command[0] = mode;
        BinaryPrimitives.WriteInt64BigEndian(command.AsSpan(1), count);
        return command;
    }

    // ------------------------------------------------------------------ throughput

    private static async Task ThroughputAsync(GatewayClient client, int relayPid)
    {
        var bytes = Setting("BYTES_MIB", 512) * 1024L * 1024;
        var reps = Setting("REPS", 5);
        var buffer = new byte[256 * 1024];
        Random.Shared.NextBytes(buffer);
        foreach (var direction in new[] { "up", "down" })
        {
            var runs = new Dictionary<string, List<double>> { ["plain"] = [], ["resumable"] = [] };
            var relayCpu = new Dictionary<string, double> { ["plain"] = 0, ["resumable"] = 0 };
            var ownCpu = new Dictionary<string, double> { ["plain"] = 0, ["resumable"] = 0 };
            for (var rep = 0; rep < reps + 1; rep++)
            {
                // Alternating, plain first in even repetitions; the first repetition warms both paths up and is not counted.
                foreach (var kind in rep % 2 == 0 ? new[] { "plain", "resumable" } : ["resumable", "plain"])
                {
                    var relayBefore = ProcessCpu.OfProcess(relayPid);
                    var ownBefore = ProcessCpu.OfProcess(Environment.ProcessId);
                    var seconds = await TransferAsync(client, kind == "resumable", direction == "up", bytes, buffer).WaitAsync(Limit).ConfigureAwait(false);
                    if (rep > 0)
                    {
                        runs[kind].Add(bytes * 8 / seconds / 1e9);
                        relayCpu[kind] += ProcessCpu.OfProcess(relayPid) - relayBefore;
                        ownCpu[kind] += ProcessCpu.OfProcess(Environment.ProcessId) - ownBefore;
                    }
                }
            }

            // CPU per GiB moved: the relay process, and this process (tenant and resource together).
            var gib = reps * (double)bytes / (1L << 30);
            var plain = Median(runs["plain"]);
            var resumable = Median(runs["resumable"]);
            Console.WriteLine(
                $"throughput direction={direction} mib={bytes >> 20} reps={reps} plain_gbit={plain:0.000} resumable_gbit={resumable:0.000} ratio={resumable / plain:0.000} " +
                $"relay_cpu_s_per_gib_plain={relayCpu["plain"] / gib:0.000} relay_cpu_s_per_gib_resumable={relayCpu["resumable"] / gib:0.000} " +
                $"tenant_cpu_s_per_gib_plain={ownCpu["plain"] / gib:0.000} tenant_cpu_s_per_gib_resumable={ownCpu["resumable"] / gib:0.000} " +
                $"plain_runs={Join(runs["plain"])} resumable_runs={Join(runs["resumable"])}");
        }
    }

    private static async Task<double> TransferAsync(GatewayClient client, bool resumable, bool up, long bytes, byte[] buffer)
    {
        var stream = await OpenAsync(client, resumable).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var started = Stopwatch.GetTimestamp();
            await stream.WriteAsync(Command(up ? Upload : Download, bytes)).ConfigureAwait(false);
            if (up)
            {
                for (var left = bytes; left > 0; left -= buffer.Length)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left))).ConfigureAwait(false);
                }

                // The resource answers one byte once it has every byte.
                await ReadExactlyAsync(stream, new byte[1]).ConfigureAwait(false);
            }
            else
            {
                long received = 0;
                int read;
                while (received < bytes && (read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    received += read;
                }

                if (received != bytes)
                {
                    throw new IOException($"received {received} of {bytes} bytes");
                }
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await Shutdown(stream).ConfigureAwait(false);
            return seconds;
        }
    }

    private static Task Shutdown(Stream stream) => stream switch
    {
        ResumableGatewayStream resumable => resumable.ShutdownWriteAsync(),
        GatewayStream plain => plain.ShutdownWriteAsync(),
        _ => Task.CompletedTask,
    };

    private static async Task ReadExactlyAsync(Stream stream, byte[] buffer)
    {
        for (var got = 0; got < buffer.Length;)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(got)).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the session ended early");
            }

            got += read;
        }
    }

    // ------------------------------------------------------------------ resume

    private static async Task ResumeAsync(int gatewayPort, string thumbprint)
    {
        var cuts = Setting("CUTS", 60);
        await using var proxy = new CutProxy(gatewayPort);
        var client = ClientOf(proxy.Port, thumbprint);
        var stream = await client.OpenResumableAsync(BenchDatabase.Resource, CancellationToken.None).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Command(Echo, 0)).ConfigureAwait(false);
            var one = new byte[1];
            var toEcho = new List<double>();
            var toConnected = new List<double>();
            for (var i = 0; i < cuts; i++)
            {
                // A round trip first, so that the link carries the session and nothing is in flight.
                await stream.WriteAsync(one).ConfigureAwait(false);
                await ReadExactlyAsync(stream, one).WaitAsync(Limit).ConfigureAwait(false);
                var resumes = stream.Resumes;
                var cutAt = Stopwatch.GetTimestamp();
                if (proxy.Cut() == 0)
                {
                    throw new InvalidOperationException($"cut {i + 1} broke no connection");
                }

                // Written while broken: kept in the window and replayed once the session is connected again.
                await stream.WriteAsync(one).ConfigureAwait(false);
                await ReadExactlyAsync(stream, one).WaitAsync(Limit).ConfigureAwait(false);
                toEcho.Add(Stopwatch.GetElapsedTime(cutAt).TotalMilliseconds);
                while (stream.Resumes == resumes)
                {
                    await Task.Delay(1).ConfigureAwait(false);
                }

                toConnected.Add(Stopwatch.GetElapsedTime(cutAt).TotalMilliseconds);
                await Task.Delay(20).ConfigureAwait(false);
            }

            Console.WriteLine(
                $"resume cuts={cuts} resumes={stream.Resumes} echo_p50_ms={Percentile(toEcho, 50):0.00} echo_p99_ms={Percentile(toEcho, 99):0.00} echo_max_ms={toEcho.Max():0.00} " +
                $"connected_p50_ms={Percentile(toConnected, 50):0.00} connected_p99_ms={Percentile(toConnected, 99):0.00} echo_runs={Join(toEcho, "0.0")}");
        }
    }

    // ------------------------------------------------------------------ memory

    private static async Task MemoryAsync(bool resumable, int gatewayPort, string thumbprint, int relayPid, string relayLog)
    {
        var sessions = Setting("SESSIONS", 1000);
        await using var proxy = new CutProxy(gatewayPort);
        var client = ClientOf(proxy.Port, thumbprint);
        var kind = resumable ? "resumable" : "plain";

        // Warm the relay up (first handshakes, JIT), then the baseline.
        for (var i = 0; i < 20; i++)
        {
            var warm = await OpenAsync(client, resumable).ConfigureAwait(false);
            await warm.WriteAsync(Command(Hold, 0)).ConfigureAwait(false);
            await warm.DisposeAsync().ConfigureAwait(false);
        }

        await Task.Delay(2000).ConfigureAwait(false);
        var baseline = await RelayMemoryAsync(relayPid, relayLog).ConfigureAwait(false);
        var streams = new Stream[sessions];
        var next = -1;
        var opening = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < sessions)
            {
                streams[i] = await OpenAsync(client, resumable).ConfigureAwait(false);
                await streams[i].WriteAsync(Command(Hold, 0)).ConfigureAwait(false);
            }
        }))).WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        var opened = opening.Elapsed;
        await WaitAsync(() => Resource.Holding == sessions, "every session reached the resource").ConfigureAwait(false);
        await Task.Delay(2000).ConfigureAwait(false);
        var healthy = await RelayMemoryAsync(relayPid, relayLog).ConfigureAwait(false);
        Console.WriteLine($"memory-{kind} state=connected {Fields(baseline, healthy, sessions)} open_s={opened.TotalSeconds:0.0}");

        if (resumable)
        {
            // Every link cut; the client's resumes meet a proxy that refuses them, so the relay keeps every session detached.
            proxy.Refuse = true;
            proxy.Cut();
            await Task.Delay(3000).ConfigureAwait(false);
            var detached = await RelayMemoryAsync(relayPid, relayLog).ConfigureAwait(false);
            Console.WriteLine($"memory-{kind} state=detached {Fields(baseline, detached, sessions)} resource_connections={Resource.Holding}");
        }

        foreach (var stream in streams)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Fields((long Rss, long Live) before, (long Rss, long Live) after, int sessions) =>
        $"sessions={sessions} rss_base_kib={before.Rss} rss_kib={after.Rss} managed_base_kib={before.Live} managed_kib={after.Live} " +
        $"rss_per_session_kib={(after.Rss - before.Rss) / (double)sessions:0.00} managed_per_session_kib={(after.Live - before.Live) / (double)sessions:0.00}";

    // Asks the relay (serve) for its memory with SIGHUP and reads the line it prints into its log.
    private static async Task<(long RssKib, long LiveKib)> RelayMemoryAsync(int pid, string log)
    {
        var before = File.ReadAllLines(log).Count(l => l.StartsWith("memory:", StringComparison.Ordinal));
        using (var kill = Process.Start("kill", ["-HUP", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        string? line = null;
        await WaitAsync(
            () =>
            {
                var lines = File.ReadAllLines(log).Where(l => l.StartsWith("memory:", StringComparison.Ordinal)).ToList();
                line = lines.Count > before ? lines[^1] : null;
                return line is not null;
            },
            "the relay reported its memory").ConfigureAwait(false);
        var fields = line!.Split(' ').Select(f => f.Split('=')).Where(f => f.Length == 2).ToDictionary(f => f[0], f => long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
        return (fields["rss_kb"], fields["managed_live_kb"]);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(deadline) > Limit)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private static double Median(List<double> values) => Percentile(values, 50);

    private static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static string Join(IEnumerable<double> values, string format = "0.000") =>
        string.Join(',', values.Select(v => v.ToString(format, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The bench resource: after a 9-byte command (mode, count) it sinks, sources, echoes or holds.</summary>
    private sealed class Resource : IDisposable
    {
        private static int s_holding;
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        public Resource(int port)
        {
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            _listener.Listen(4096);
            _ = AcceptAsync();
        }

        /// <summary>Connections in hold mode open now.</summary>
        public static int Holding => Volatile.Read(ref s_holding);

        public void Dispose() => _listener.Dispose();

        private async Task AcceptAsync()
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return;
                }

                socket.NoDelay = true;
                _ = ServeAsync(socket);
            }
        }

        private static async Task ServeAsync(Socket socket)
        {
            using (socket)
            {
                try
                {
                    var command = new byte[9];
                    for (var got = 0; got < command.Length;)
                    {
                        var read = await socket.ReceiveAsync(command.AsMemory(got), SocketFlags.None).ConfigureAwait(false);
                        if (read == 0)
                        {
                            return;
                        }

                        got += read;
                    }

                    var count = BinaryPrimitives.ReadInt64BigEndian(command.AsSpan(1));
                    var buffer = new byte[256 * 1024];
                    switch (command[0])
                    {
                        case Upload:
                            for (var left = count; left > 0;)
                            {
                                var read = await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                                if (read == 0)
                                {
                                    return;
                                }

                                left -= read;
                            }

                            await socket.SendAsync(buffer.AsMemory(0, 1), SocketFlags.None).ConfigureAwait(false);
                            break;
                        case Download:
                            for (var left = count; left > 0; left -= buffer.Length)
                            {
                                await socket.SendAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), SocketFlags.None).ConfigureAwait(false);
                            }

                            break;
                        case Echo:
                            int n;
                            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)) > 0)
                            {
                                await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None).ConfigureAwait(false);
                            }

                            break;
                        case Hold:
                            Interlocked.Increment(ref s_holding);
                            try
                            {
                                while (await socket.ReceiveAsync(buffer.AsMemory(0, 1), SocketFlags.None).ConfigureAwait(false) > 0)
                                {
                                }
                            }
                            finally
                            {
                                Interlocked.Decrement(ref s_holding);
                            }

                            break;
                    }

                    // Wait for the tenant's end, so that the relay sees a clean close both ways.
                    while (await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) > 0)
                    {
                    }
                }
                catch (SocketException)
                {
                    // The relay closed the connection.
                }
            }
        }
    }

    /// <summary>A TCP proxy in front of the gateway that resets every connection through it on demand; with <see cref="Refuse"/> it resets new ones at once.</summary>
    private sealed class CutProxy : IAsyncDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly int _target;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (Socket Tenant, Socket Gateway)> _links = new();
        private readonly Task _accepting;
        private int _next;

        public CutProxy(int target)
        {
            _target = target;
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(4096);
            Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            _accepting = AcceptAsync();
        }

        public int Port { get; }

        public bool Refuse { get; set; }

        public int Cut()
        {
            var cut = 0;
            foreach (var id in _links.Keys)
            {
                if (_links.TryRemove(id, out var link))
                {
                    Reset(link.Tenant);
                    Reset(link.Gateway);
                    cut++;
                }
            }

            return cut;
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Dispose();
            Cut();
            await _accepting.ConfigureAwait(false);
        }

        private static void Reset(Socket socket)
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                Socket tenant;
                try
                {
                    tenant = await _listener.AcceptAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return;
                }

                if (Refuse)
                {
                    Reset(tenant);
                    continue;
                }

                var gateway = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                tenant.NoDelay = true;
                try
                {
                    await gateway.ConnectAsync(IPAddress.Loopback, _target).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    tenant.Dispose();
                    gateway.Dispose();
                    continue;
                }

                var id = Interlocked.Increment(ref _next);
                _links[id] = (tenant, gateway);
                _ = PumpAsync(id, tenant, gateway);
                _ = PumpAsync(id, gateway, tenant);
            }
        }

        private async Task PumpAsync(int id, Socket from, Socket to)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)) > 0)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
                }

                to.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                if (_links.TryRemove(id, out var link))
                {
                    link.Tenant.Dispose();
                    link.Gateway.Dispose();
                }
            }
        }
    }
}
