using System.Diagnostics;
using System.Security.Cryptography;
using CloudGateway.Relay;

namespace CloudGateway.Tests.Reliability;

/// <summary>Helpers shared by the reliability tests: echo round trips verified by hash, host counters, process figures.</summary>
internal static class Traffic
{
    /// <summary>Writes <paramref name="size"/> random bytes in chunks and reads the echo back; true when every byte came back intact.</summary>
    public static async Task<bool> EchoAsync(Stream stream, int size, CancellationToken cancellationToken, int chunk = 16 * 1024)
    {
        var sent = RandomNumberGenerator.GetBytes(size);
        var back = new byte[size];
        var writer = WriteAllAsync(stream, sent, chunk, cancellationToken);
        await stream.ReadExactlyAsync(back, cancellationToken);
        await writer;
        return SHA256.HashData(sent).AsSpan().SequenceEqual(SHA256.HashData(back));
    }

    public static int Sessions(RelayHost host) => host.GetGatewayStatistics().Sum(g => g.Sessions);

    public static int Connections(RelayHost host) => host.GetGatewayStatistics().Sum(g => g.Connections);

    /// <summary>Open file descriptors of this process.</summary>
    public static int FileDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    /// <summary>Threads of this process.</summary>
    public static int Threads() => Directory.GetDirectories("/proc/self/task").Length;

    /// <summary>The managed heap after a full, compacting collection.</summary>
    public static long HeapAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    public static long WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }

    private static async Task WriteAllAsync(Stream stream, byte[] data, int chunk, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < data.Length; offset += chunk)
        {
            await stream.WriteAsync(data.AsMemory(offset, Math.Min(chunk, data.Length - offset)), cancellationToken);
        }

        await stream.FlushAsync(cancellationToken);
    }
}
