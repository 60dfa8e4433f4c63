using System.Runtime.InteropServices;
using CloudGateway.Relay;
using CloudGateway.Storage;

namespace CloudGateway.BenchHost;

/// <summary>The bench host's commands: create the benchmark database, serve it until SIGTERM.</summary>
internal static class Commands
{
    public static int Init(string database, string pfx, int backendPort, string[] gateways)
    {
        var parsed = gateways.Select(g => g.Split('=', 2)).Select(p => (p[0], int.Parse(p[1]))).ToList();
        BenchDatabase.Create(database, File.ReadAllBytes(pfx), backendPort, parsed);
        return 0;
    }

    public static async Task<int> ServeFromEnvironmentAsync()
    {
        var listenPort = int.Parse(Required("LISTEN_PORT"));
        var backendPort = int.Parse(Required("BACKEND_PORT"));
        var folder = Directory.CreateTempSubdirectory("cloudgateway-bench-");
        try
        {
            var database = Path.Combine(folder.FullName, "bench.db");
            BenchDatabase.Create(database, File.ReadAllBytes(Required("TLS_PFX")), backendPort, [("bench", listenPort)]);
            return await ServeAsync(database, null).ConfigureAwait(false);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Runs the relay for the database's gateways (or only <paramref name="gateway"/>) until SIGTERM or SIGINT.</summary>
    public static async Task<int> ServeAsync(string database, string? gateway)
    {
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var report = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ReportMemory);
        using var store = ConfigurationDatabase.Open(database);
        // GATEWAY_ENV="BENCH_ENGINE=Managed" measures the managed engine instead of the default (Automatic).
        var engine = Enum.TryParse<RelayEngine>(Environment.GetEnvironmentVariable("BENCH_ENGINE"), ignoreCase: true, out var chosen) ? chosen : RelayEngine.Automatic;
        var options = new RelayHostOptions { Gateways = gateway is null ? null : [gateway], ServerName = Environment.MachineName, Engine = engine };

        // bench/resumable.sh holds a thousand resumable sessions (5 MiB promised each) and keeps them detached a while.
        if (long.TryParse(Environment.GetEnvironmentVariable("BENCH_RESUMABLE_MEMORY_MIB"), out var memory))
        {
            options = options with { ResumableMemoryPerGateway = memory * 1024 * 1024 };
        }

        if (int.TryParse(Environment.GetEnvironmentVariable("BENCH_RESUMABLE_GRACE_S"), out var grace))
        {
            options = options with { ResumableGracePeriod = TimeSpan.FromSeconds(grace) };
        }

        var host = await RelayHost.StartAsync(store, options).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            var listening = host.GetGatewayStatistics().Where(g => g.Listening).Select(g => $"{g.Gateway} {g.LocalEndPoint}");
            Console.WriteLine($"listening: {string.Join(", ", listening)} (engine {host.Engine})");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("stopping");
            }

            await host.StopAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    // SIGHUP: where the memory is (managed heap after a full collection vs. the whole process), for profiling idle RSS.
    private static void ReportMemory(PosixSignalContext context)
    {
        context.Cancel = true;
        var before = GC.GetGCMemoryInfo();
        var live = GC.GetTotalMemory(forceFullCollection: true);
        var after = GC.GetGCMemoryInfo();
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        Console.WriteLine(
            $"memory: rss_kb={process.WorkingSet64 / 1024} managed_live_kb={live / 1024} heap_before_gc_kb={before.HeapSizeBytes / 1024} " +
            $"committed_kb={after.TotalCommittedBytes / 1024} fragmented_kb={after.FragmentedBytes / 1024} gen0_collections={GC.CollectionCount(0)} " +
            $"gen2_collections={GC.CollectionCount(2)} threads={process.Threads.Count} allocated_kb={GC.GetTotalAllocatedBytes() / 1024}");
    }

    public static int Usage()
    {
        Console.Error.WriteLine("usage: CloudGateway.BenchHost [init DB PFX BACKEND_PORT NAME=PORT... | serve DB [GATEWAY] | failover DB PRIMARY_PID | estate LOCATION TENANTS POOLS PFX BACKEND_PORT | relay LOCATION BACKEND_PORT | fleet CONNECTION_STRING RELAYS RATE SECONDS | follow LOCATION GATEWAY | tunnel GATEWAY_PORT LOCAL_PORT THUMBPRINT | resumable PHASE GATEWAY_PORT BACKEND_PORT THUMBPRINT RELAY_PID RELAY_LOG]");
        return 2;
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set.");
}
