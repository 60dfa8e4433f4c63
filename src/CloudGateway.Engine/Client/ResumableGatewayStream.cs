using CloudGateway.Protocol;
using CloudGateway.Resumable;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Client;

/// <summary>
/// A resumable byte stream to a tenant's resource (<see cref="GatewayClient.OpenResumableAsync"/>): when the
/// connection to the gateway breaks, it reconnects to that gateway by itself, retrying with back-off for the grace
/// period the gateway gave, and both sides replay what the other lacks, so reads and writes go on as one unbroken
/// stream. When the session cannot be resumed, reads and writes fail with an <see cref="IOException"/> saying why.
/// </summary>
public sealed class ResumableGatewayStream : Stream, IGatewayConnection
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(2);
    private readonly GatewayClient _client;
    private readonly ResumableStream _stream;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _gracePeriod;
    private readonly CancellationTokenSource _closing = new();
    private readonly object _gate = new();
    private KnownGateway _gateway;
    private string _token;
    private int _resumes;
    private int _closed;

    private ResumableGatewayStream(GatewayClient client, string resource, GatewayStream connection, ResumableStream stream, TimeProvider timeProvider, ILogger logger)
    {
        _client = client;
        _stream = stream;
        _timeProvider = timeProvider;
        _logger = logger;
        _gateway = connection.Gateway;
        _token = connection.Answer.ResumeToken!;
        _gracePeriod = TimeSpan.FromSeconds(connection.Answer.GracePeriod ?? 0);
        Resource = resource;
        SessionId = connection.SessionId;
    }

    /// <summary>The resource the stream reaches.</summary>
    public string Resource { get; }

    /// <summary>The session id the gateway gave; it stays the same across resumes.</summary>
    public string SessionId { get; }

    /// <summary>The gateway that carries the session.</summary>
    public KnownGateway Gateway
    {
        get
        {
            lock (_gate)
            {
                return _gateway;
            }
        }
    }

    /// <summary>How many times the session was resumed after a broken connection.</summary>
    public int Resumes => Volatile.Read(ref _resumes);

    /// <summary>Why the session could not be resumed, once it is lost; null while it lives.</summary>
    public string? LostReason { get; private set; }

    /// <summary>Whether a connection carries the session now (false while it reconnects).</summary>
    public bool IsConnected => _stream.IsAttached;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Tells the resource that nothing more will be written (once every byte before has arrived); reading goes on.</summary>
    public Task ShutdownWriteAsync() => _stream.ShutdownWriteAsync();

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _stream.ReadAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _stream.ReadAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => _stream.Read(buffer, offset, count);

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _stream.WriteAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _stream.WriteAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => _stream.Write(buffer, offset, count);

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override string ToString() => $"Resumable session {SessionId} to {Resource} through {Gateway.Name}: {_stream}";

    /// <summary>Closes the stream; a session not completed is given up, and the gateway told so, when connected.</summary>
    public override async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Starts the stream on the accepted <paramref name="connection"/>; throws a ProtocolViolation when its answer offers no resumable session.</summary>
    internal static ResumableGatewayStream Start(GatewayClient client, string resource, GatewayStream connection, TimeSpan silenceLimit, TimeProvider timeProvider, ILogger logger)
    {
        if (connection.Answer is not { ResumeToken: not null, Window: > 0 } answer)
        {
            var name = connection.Gateway.Name;
            connection.Dispose();
            throw new GatewayException(GatewayErrorCode.ProtocolViolation, $"Gateway {name} accepted the session but offers no resumable sessions (it runs an older version).", resource);
        }

        var options = ResumableOptions.Default with { Window = answer.Window.Value, SilenceLimit = silenceLimit, KeepAlive = silenceLimit / 4 };
        var stream = new ResumableStream(options, timeProvider);
        var resumable = new ResumableGatewayStream(client, resource, connection, stream, timeProvider, logger);
        stream.Broken += (_, _) => resumable.OnBroken();
        stream.Attach(connection, 0);
        return resumable;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ = CloseAsync();
        }

        base.Dispose(disposing);
    }

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        if (!_stream.IsCompleted)
        {
            await _stream.AbortAsync(new ObjectDisposedException(nameof(ResumableGatewayStream))).ConfigureAwait(false);
        }

        _stream.Dispose();
        _closing.Dispose();
    }

    private void OnBroken()
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            return;
        }

        ClientLog.ResumableBroken(_logger, SessionId, Resource, _client.ProviderLabel, Gateway.Name);
        _ = Task.Run(ResumeAsync);
    }

    // Reconnects to the session's gateway until it takes the session back, says the session is gone, or the grace
    // period is over.
    private async Task ResumeAsync()
    {
        var started = _timeProvider.GetTimestamp();
        var delay = FirstRetry;
        CancellationToken closing;
        try
        {
            closing = _closing.Token;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        while (!closing.IsCancellationRequested)
        {
            string? refusal = null;
            try
            {
                var (answer, connection) = await _client.ResumeAsync(Gateway, Resource, CurrentToken(), _stream.Received, closing).ConfigureAwait(false);
                if (connection is not null)
                {
                    Resumed(answer, connection, started);
                    return;
                }

                refusal = answer.Reason;
            }
            catch (GatewayException)
            {
                // The gateway cannot be reached yet (or answered nothing sensible): try again within the grace period.
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested)
            {
                return;
            }
            catch (InvalidDataException ex)
            {
                Lost(ex.Message);
                return;
            }

            if (refusal is not null && !RefusalPolicy.IsPerGateway(refusal))
            {
                Lost($"gateway {Gateway.Name} refused the resume: {refusal}");
                return;
            }

            if (_timeProvider.GetElapsedTime(started) > _gracePeriod)
            {
                Lost($"gateway {Gateway.Name} did not take the session back within its grace period of {_gracePeriod.TotalSeconds:0} s");
                return;
            }

            try
            {
                await Task.Delay(delay, _timeProvider, closing).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
        }
    }

    private void Resumed(HelloAnswer answer, GatewayStream connection, long started)
    {
        if (answer.ResumeToken is not { } token || answer.Received is not { } received)
        {
            connection.Dispose();
            throw new InvalidDataException("the gateway's answer to a resume lacks its token or offset");
        }

        try
        {
            _stream.Attach(connection, received);
        }
        catch (InvalidDataException)
        {
            connection.Dispose();
            throw;
        }

        lock (_gate)
        {
            _token = token;
            _gateway = connection.Gateway;
        }

        Interlocked.Increment(ref _resumes);
        ClientLog.ResumableResumed(_logger, SessionId, Resource, _client.ProviderLabel, connection.Gateway.Name, _timeProvider.GetElapsedTime(started));
    }

    private string CurrentToken()
    {
        lock (_gate)
        {
            return _token;
        }
    }

    private void Lost(string reason)
    {
        LostReason = reason;
        ClientLog.ResumableLost(_logger, SessionId, Resource, _client.ProviderLabel, reason);
        _stream.Fail(new IOException($"The resumable session {SessionId} to {Resource} is lost: {reason}."));
    }
}
