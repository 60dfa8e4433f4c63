using System.Diagnostics;

namespace CloudGateway.BenchHost;

/// <summary>What one piece of work cost this process: wall time, CPU time and managed bytes allocated (all threads).</summary>
internal readonly record struct Measurement(TimeSpan Elapsed, TimeSpan Cpu, long AllocatedBytes)
{
    /// <summary>Runs <paramref name="work"/> and measures it.</summary>
    public static Measurement Of(Action work)
    {
        var (started, cpu, allocated) = Start();
        work();
        return Stop(started, cpu, allocated);
    }

    /// <summary>Runs <paramref name="work"/> and measures it, including its awaits.</summary>
    public static async Task<Measurement> OfAsync(Func<Task> work)
    {
        var (started, cpu, allocated) = Start();
        await work().ConfigureAwait(false);
        return Stop(started, cpu, allocated);
    }

    /// <summary>The process's peak resident memory so far, in MiB (VmHWM).</summary>
    public static double PeakMemoryMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1048576.0;
    }

    /// <summary>key=value fields for the benchmark's output, prefixed by <paramref name="name"/>.</summary>
    public string Fields(string name) =>
        $"{name}_ms={Elapsed.TotalMilliseconds:0.0} {name}_cpu_ms={Cpu.TotalMilliseconds:0.0} {name}_alloc_kib={AllocatedBytes / 1024.0:0.0}";

    private static (long Started, TimeSpan Cpu, long Allocated) Start()
    {
        using var process = Process.GetCurrentProcess();
        return (Stopwatch.GetTimestamp(), process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
    }

    private static Measurement Stop(long started, TimeSpan cpu, long allocated)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocatedNow = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        return new Measurement(elapsed, process.TotalProcessorTime - cpu, allocatedNow - allocated);
    }
}
