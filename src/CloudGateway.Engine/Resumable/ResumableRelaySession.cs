using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Resumable;

/// <summary>
/// The gateway's side of one resumable session: the resource connection, and the stream to the tenant that outlives
/// the tenant's connections. When a connection breaks, the resource connection stays open for the grace period
/// (reading from the resource goes on until the window is full, then the resource waits); a resume picks the stream
/// up again, and the grace period's end closes everything.
/// </summary>
internal sealed class ResumableRelaySession : IDisposable
{
    /// <summary>The buffer each of the session's two pumps (resource to tenant, tenant to resource) holds while it lives.</summary>
    internal const int PumpBufferBytes = 64 * 1024;
    private readonly ResumableStream _stream;
    private readonly Socket _resource;
    private readonly ITimer _graceTimer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Action<ResumableRelaySession, string> _ended;
    private int _finished;
    private long _detachedAt;

    public ResumableRelaySession(ResumableSessionIdentity identity, Socket resource, ResumableOptions options, TimeSpan gracePeriod, TimeProvider timeProvider, ILogger logger, Action<ResumableRelaySession, string> ended)
    {
        Identity = identity;
        GracePeriod = gracePeriod;
        _resource = resource;
        _timeProvider = timeProvider;
        _logger = logger;
        _ended = ended;
        _stream = new ResumableStream(options, timeProvider);
        _graceTimer = timeProvider.CreateTimer(_ => OnGracePeriodOver(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _stream.Broken += (_, _) => OnBroken();
        _stream.Completed += _ => OnCompleted();
    }

    /// <summary>Whose session this is, and where it was started.</summary>
    public ResumableSessionIdentity Identity { get; }

    /// <summary>How long the session waits for a resume after its connection broke.</summary>
    public TimeSpan GracePeriod { get; }

    /// <summary>The SHA-256 of the tokens that resume the session now (the newest, and the one the last resume presented).</summary>
    public IReadOnlyList<string> TokenHashes { get; set; } = [];

    /// <summary>Whether a tenant connection carries the session now.</summary>
    public bool IsAttached => _stream.IsAttached;

    /// <summary>The memory the session's buffers hold now.</summary>
    public long BufferedBytes => _stream.BufferedBytes;

    /// <inheritdoc />
    public override string ToString() => $"Resumable session {Identity.SessionId} of {Identity.Tenant}: {_stream}";

    /// <summary>Starts relaying between the resource and the first tenant connection, whose gateway side is <paramref name="tenantSide"/>.</summary>
    public void Start(Socket tenantSide)
    {
        _stream.Attach(new NetworkStream(tenantSide, ownsSocket: true), 0);
        _ = UploadAsync();
        _ = DownloadAsync();
    }

    /// <summary>
    /// Carries the session over a new tenant connection (the one before, if still open, is closed): replays from
    /// <paramref name="tenantReceived"/> and returns the offset the tenant must replay from. Throws an
    /// <see cref="InvalidDataException"/> when the tenant reports an offset the gateway can no longer replay from.
    /// </summary>
    public long Resume(Socket tenantSide, long tenantReceived)
    {
        _graceTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var received = _stream.Attach(new NetworkStream(tenantSide, ownsSocket: true), tenantReceived);
        var detachedAt = Interlocked.Exchange(ref _detachedAt, 0);
        ResumableLog.Resumed(_logger, Identity.SessionId.ToString("N"), Identity.Tenant, detachedAt == 0 ? TimeSpan.Zero : _timeProvider.GetElapsedTime(detachedAt), tenantReceived, received);
        return received;
    }

    /// <summary>Ends the session at once: the tenant is told (when connected), and the resource connection closed.</summary>
    public async Task CloseAsync(string reason)
    {
        await _stream.AbortAsync(new IOException($"The gateway closed the resumable session ({reason}).")).ConfigureAwait(false);
        Finish(reason);
    }

    // A resume that raced the timer's start leaves the session attached: then it goes on.
    private void OnGracePeriodOver()
    {
        if (_stream.IsCompleted)
        {
            Finish("completed");
        }
        else if (!_stream.IsAttached)
        {
            Finish("grace-period-over");
        }
    }

    /// <summary>Ends the session without telling the tenant (its connection is closed): the resource connection is closed.</summary>
    public void Dispose() => Finish("closed");

    private void OnBroken()
    {
        Interlocked.CompareExchange(ref _detachedAt, _timeProvider.GetTimestamp(), 0);
        _graceTimer.Change(GracePeriod, Timeout.InfiniteTimeSpan);
        ResumableLog.Detached(_logger, Identity.SessionId.ToString("N"), Identity.Tenant, GracePeriod);
    }

    // Everything is through both ways; the session stays findable for the grace period, so that a tenant whose last
    // acknowledgement was lost can resume and hear the end again.
    private void OnCompleted()
    {
        _resource.Dispose();
        _graceTimer.Change(GracePeriod, Timeout.InfiniteTimeSpan);
    }

    private async Task UploadAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(PumpBufferBytes);
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                await _resource.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
            }

            _resource.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            await PumpFailedAsync(ex).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task DownloadAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(PumpBufferBytes);
        try
        {
            int read;
            while ((read = await _resource.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false)) > 0)
            {
                await _stream.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            }

            await _stream.ShutdownWriteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            await PumpFailedAsync(ex).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The resource broke off (the tenant hears so at once), or the stream ended under the pump (expired, aborted, failed).
    private Task PumpFailedAsync(Exception ex)
    {
        if (ex is SocketException socket)
        {
            return CloseAsync($"resource-failed: {socket.SocketErrorCode}");
        }

        Finish($"ended: {ex.Message}");
        return Task.CompletedTask;
    }

    private void Finish(string reason)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        _graceTimer.Dispose();
        _stream.Fail(new IOException($"The resumable session ended ({reason})."));
        _resource.Dispose();
        _stream.Dispose();
        ResumableLog.Ended(_logger, Identity.SessionId.ToString("N"), Identity.Tenant, reason);
        _ended(this, reason);
    }
}
