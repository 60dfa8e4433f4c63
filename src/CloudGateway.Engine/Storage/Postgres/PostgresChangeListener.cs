using Npgsql;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// Keeps one connection LISTENing on <c>cloudgateway_changes</c> and records the highest change counter announced for
/// its schema. When the connection drops it reconnects with a bounded back-off and, once back, reads the counter so
/// that changes made during the outage are announced too.
/// </summary>
internal sealed class PostgresChangeListener : IDisposable
{
    /// <summary>The channel the change counter's trigger notifies.</summary>
    public const string Channel = "cloudgateway_changes";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private long _announced = -1;
    private volatile bool _listening;

    /// <summary>Creates a listener; it connects on the first wait.</summary>
    public PostgresChangeListener(NpgsqlDataSource dataSource, string schema, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        _schema = schema;
        _timeProvider = timeProvider;
    }

    /// <summary>Whether the LISTEN connection is up.</summary>
    public bool IsListening => _listening;

    private long Announced
    {
        get
        {
            lock (_gate)
            {
                return _announced;
            }
        }
    }

    /// <summary>Waits for an announced counter above <paramref name="knownCounter"/>, at most <paramref name="maxWait"/>.</summary>
    public async Task<bool> WaitAsync(long knownCounter, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        EnsureStarted();
        var started = _timeProvider.GetTimestamp();
        while (true)
        {
            var changed = Volatile.Read(ref _changed);
            if (Announced > knownCounter)
            {
                return true;
            }

            var remaining = maxWait - _timeProvider.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            var delay = Task.Delay(remaining, _timeProvider, timeout.Token);
            var first = await Task.WhenAny(changed.Task, delay).ConfigureAwait(false);
            await timeout.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first != changed.Task || _stopping.IsCancellationRequested)
            {
                return Announced > knownCounter;
            }
        }
    }

    private void EnsureStarted()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _loop ??= Task.Run(() => ListenLoopAsync(_stopping.Token));
        }
    }

    private async Task ListenLoopAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ListenOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // The database is unreachable: waiters fall back to polling at their maxWait until the connection is back.
                _listening = false;
            }

            try
            {
                await Task.Delay(backoff, _timeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }

        _listening = false;
    }

    private async Task ListenOnceAsync(CancellationToken stopping)
    {
        var connection = await _dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
        await using var closing = connection.ConfigureAwait(false);
        connection.Notification += OnNotification;
        try
        {
            using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            {
                await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
            }

            using (var read = new NpgsqlCommand("SELECT value FROM change_counter WHERE id = 1", connection))
            {
                Announce((long)(await read.ExecuteScalarAsync(stopping).ConfigureAwait(false))!);
            }

            _listening = true;
            while (true)
            {
                // A bounded wait with a round trip after it, so a half-dead connection is noticed within seconds.
                if (!await connection.WaitAsync(TimeSpan.FromSeconds(5), stopping).ConfigureAwait(false))
                {
                    using var ping = new NpgsqlCommand("SELECT 1", connection);
                    await ping.ExecuteScalarAsync(stopping).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            connection.Notification -= OnNotification;
            _listening = false;
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        var separator = e.Payload.LastIndexOf(':');
        if (separator > 0 && string.Equals(e.Payload[..separator], _schema, StringComparison.Ordinal)
            && long.TryParse(e.Payload.AsSpan(separator + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var counter))
        {
            Announce(counter);
        }
    }

    /// <summary>Raises the announced counter and releases everyone waiting.</summary>
    private void Announce(long counter)
    {
        lock (_gate)
        {
            _announced = Math.Max(_announced, counter);
        }

        var previous = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Task? loop;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            loop = _loop;
        }

        if (loop is not null && !loop.Wait(TimeSpan.FromSeconds(5)))
        {
            throw new TimeoutException("The PostgreSQL change listener did not stop within 5 seconds.");
        }

        _stopping.Dispose();
        var last = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        last.TrySetResult();
    }
}
