using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Protocol;
using CloudGateway.Relay;
using CloudGateway.Storage;

namespace CloudGateway.BenchHost;

/// <summary>
/// <c>relay LOCATION BACKEND_PORT</c>: a relay serving one standalone gateway of a scale estate, measured from inside
/// its process: start, live managed memory the configuration holds, admission latency of one tenant through a real TLS
/// hello, and how one tenant's change reaches it (delay, and the CPU and allocations while the relay reloads).
/// Prints one key=value line; bench/scale.sh runs it on the large and the small estate and takes the ratios.
/// </summary>
internal static class RelayScaleProbe
{
    private const int Connections = 200;
    private const int Changes = 7;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    // Index 2 uses no pool and has no limits, so it may use the served standalone gateway in every estate size.
    private static readonly string Tenant = ScaleEstate.TenantName(2);

    public static async Task<int> RunAsync(string location, int backendPort)
    {
        using var backend = new Backend(backendPort);
        using var store = ConfigurationDatabase.OpenLocation(location);
        var tenants = store.GetTenants().Count;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        RelayHost? started = null;
        var start = await Measurement.OfAsync(async () => started = await RelayHost.StartAsync(store, new RelayHostOptions
        {
            Gateways = [ScaleEstate.ServedGateway],
            ListenAddressOverride = IPAddress.Loopback,
            ListenPortOverride = 0,
        }).ConfigureAwait(false)).ConfigureAwait(false);
        var host = started!;
        await using (host.ConfigureAwait(false))
        {
            var held = GC.GetTotalMemory(forceFullCollection: true) - before;
            var port = host.GetGatewayStatistics().Single(g => g.Listening).LocalEndPoint!.Port;
            var (connect, hello) = await AdmissionAsync(port, Thumbprint(store)).ConfigureAwait(false);
            var idle = IdleFloor();
            var changes = Enumerable.Range(1, Changes).Select(i => Change(store, host, i)).ToList();
            Console.WriteLine(
                $"tenants={tenants} {start.Fields("start")} held_kib={held / 1024.0:0.0} " +
                $"connect_us={Median(connect):0} hello_us={Median(hello):0} hello_p90_us={Percentile(hello, 0.9):0} " +
                $"change_seen_ms={Median(changes.Select(c => c.Seen.TotalMilliseconds)):0.0} " +
                $"reload_ms={Median(changes.Select(c => c.Reload.TotalMilliseconds)):0.00} " +
                $"reload_cpu_ms={Median(changes.Select(c => c.Wait.Cpu.TotalMilliseconds - idle.Cpu.TotalMilliseconds * c.Wait.Elapsed / idle.Elapsed)):0.00} " +
                $"reload_alloc_kib={Median(changes.Select(c => c.Wait.AllocatedBytes / 1024.0)):0.0} " +
                $"write_ms={Median(changes.Select(c => c.Write.TotalMilliseconds)):0.00} idle_cpu_ms_per_s={idle.Cpu.TotalMilliseconds / idle.Elapsed.TotalSeconds:0.00} " +
                $"rss_mib={Environment.WorkingSet / 1048576.0:0.0}");
            await host.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>
    /// One tenant's change through the store, then a wait (sleeping, allocating nothing) until the relay serves it;
    /// the wait's CPU and allocations are the relay's poll and reload.
    /// </summary>
    private static (TimeSpan Write, TimeSpan Seen, TimeSpan Reload, Measurement Wait) Change(IConfigurationStore store, RelayHost host, int index)
    {
        var written = Stopwatch.StartNew();
        store.UpdateTenant(Tenant, tenant => tenant with { Description = $"scale change {index}" });
        var target = store.GetChangeCounter();
        var write = written.Elapsed;
        var seen = Stopwatch.StartNew();
        var wait = Measurement.Of(() =>
        {
            while (host.ConfigurationChangeCounter < target && seen.Elapsed < Limit)
            {
                Thread.Sleep(1);
            }
        });
        if (host.ConfigurationChangeCounter < target)
        {
            throw new TimeoutException($"the relay did not serve change counter {target} within {Limit.TotalSeconds} s");
        }

        return (write, seen.Elapsed, host.LastReloadDuration, wait);
    }

    /// <summary>The process's CPU while the relay is idle and this thread sleeps as in <see cref="Change"/>: subtracted from each reload.</summary>
    private static Measurement IdleFloor() => Measurement.Of(() =>
    {
        var idle = Stopwatch.StartNew();
        while (idle.ElapsedMilliseconds < 1000)
        {
            Thread.Sleep(1);
        }
    });

    /// <summary>Warms up (the first hello runs the full password check), then times each connection and its hello alone.</summary>
    private static async Task<(List<double> Connect, List<double> Hello)> AdmissionAsync(int port, string thumbprint)
    {
        var frame = FrameCodec.Encode(new Hello { Tenant = Tenant, Password = ScaleEstate.Password, Resource = "repo1" });
        for (var i = 0; i < 10; i++)
        {
            await OneAsync(port, thumbprint, frame).ConfigureAwait(false);
        }

        var connect = new List<double>();
        var hello = new List<double>();
        for (var i = 0; i < Connections; i++)
        {
            var (total, answer) = await OneAsync(port, thumbprint, frame).ConfigureAwait(false);
            connect.Add(total.TotalMicroseconds);
            hello.Add(answer.TotalMicroseconds);
        }

        return (connect, hello);
    }

    /// <summary>TCP, TLS, the hello and its answer; returns the whole time and the time from the hello to the answer's end.</summary>
    private static async Task<(TimeSpan Total, TimeSpan Hello)> OneAsync(int port, string thumbprint, byte[] frame)
    {
        using var limit = new CancellationTokenSource(Limit);
        var started = Stopwatch.GetTimestamp();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), limit.Token).ConfigureAwait(false);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint,
        }, limit.Token).ConfigureAwait(false);
        var sent = Stopwatch.GetTimestamp();
        await tls.WriteAsync(frame, limit.Token).ConfigureAwait(false);
        var buffer = new byte[WireProtocol.MaxFrameBytes];
        var (length, _) = await FrameCodec.ReadFrameAsync(tls, buffer, limit.Token).ConfigureAwait(false);
        var answered = Stopwatch.GetTimestamp();
        var answer = FrameCodec.DecodeAnswer(buffer.AsSpan(0, length));
        if (!answer.Accepted)
        {
            throw new IOException($"the relay refused {Tenant}: {answer.Reason}");
        }

        return (Stopwatch.GetElapsedTime(started, answered), Stopwatch.GetElapsedTime(sent, answered));
    }

    private static string Thumbprint(IConfigurationStore store)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12(store.GetGatewayCertificate()!, null);
        return certificate.GetCertHashString();
    }

    private static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    private static double Percentile(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(sorted.Count * fraction))];
    }

    /// <summary>The tenants' resource: accepts connections on loopback and holds them until disposed.</summary>
    private sealed class Backend : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly ConcurrentBag<Socket> _accepted = [];
        private readonly Task _accepting;

        public Backend(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public void Dispose()
        {
            _listener.Dispose();
            _accepting.Wait(Limit);
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    _accepted.Add(await _listener.AcceptSocketAsync().ConfigureAwait(false));
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}
