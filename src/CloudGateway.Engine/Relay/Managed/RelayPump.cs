using System.Buffers;
using System.Net.Sockets;
using System.Security.Authentication;

namespace CloudGateway.Relay.Managed;

/// <summary>
/// Copies one direction of a session. An idle direction holds no buffer: it waits with a zero-byte read and
/// rents a buffer only when bytes are ready, and keeps it only while reads keep filling at least a TLS record's
/// worth. At most one buffer per direction is in flight, and the next read waits for the write (back-pressure).
/// Buffers are cleared when returned, so nothing one tenant sent is ever left in a buffer another session rents;
/// only the bytes reads wrote are cleared (a 64-byte message costs 64 bytes of clearing, not the whole buffer).
/// </summary>
internal static class RelayPump
{
    public const int BufferSize = 32 * 1024;
    private const int BusyRead = 16 * 1024;

    public static async Task<CopyResult> CopyAsync(Stream source, Stream destination, Func<ValueTask> endDestination, RelayConnection connection, bool upstream)
    {
        var bucket = upstream ? connection.Runtime!.Upload : connection.Runtime!.Download;
        byte[]? buffer = null;
        var written = 0;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    if (buffer is null)
                    {
                        await source.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                        buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                    }

                    read = await source.ReadAsync(buffer).ConfigureAwait(false);
                    written = Math.Max(written, read);
                }
                catch (Exception ex) when (IsConnectionError(ex))
                {
                    return CopyResult.SourceFailed;
                }

                try
                {
                    if (read == 0)
                    {
                        await endDestination().ConfigureAwait(false);
                        return CopyResult.Completed;
                    }

                    connection.Touch();
                    if (bucket.Rate > 0)
                    {
                        var wait = bucket.Take(read);
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, connection.TimeProvider).ConfigureAwait(false);
                        }
                    }

                    await destination.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsConnectionError(ex))
                {
                    return CopyResult.DestinationFailed;
                }

                connection.Relayed(read, upstream);
                if (read < BusyRead)
                {
                    Release(buffer, written);
                    buffer = null;
                    written = 0;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                Release(buffer, written);
            }
        }
    }

    // Reads only ever wrote buffer[0..written), so clearing that much leaves the whole buffer clean.
    private static void Release(byte[] buffer, int written)
    {
        buffer.AsSpan(0, written).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    public static bool IsConnectionError(Exception exception) =>
        exception is IOException or SocketException or ObjectDisposedException or AuthenticationException
            or OperationCanceledException or InvalidOperationException or NotSupportedException;
}
