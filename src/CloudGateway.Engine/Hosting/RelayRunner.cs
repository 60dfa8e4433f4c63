using CloudGateway.Logging;
using CloudGateway.Relay;
using CloudGateway.Storage;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Hosting;

/// <summary>
/// A <see cref="RelayHost"/> together with the store it reads, which it opened for itself and closes once the
/// host has stopped. The PowerShell session and the service both run the relay through this.
/// </summary>
public sealed class RelayRunner : IAsyncDisposable
{
    private readonly IConfigurationStore _store;
    private readonly IDisposable? _logFile;

    private RelayRunner(RelayHost host, IConfigurationStore store, IDisposable? logFile)
    {
        Host = host;
        _store = store;
        _logFile = logFile;
    }

    /// <summary>The running host.</summary>
    public RelayHost Host { get; }

    /// <summary>Completes when the host has stopped.</summary>
    public Task Completion => Host.Completion;

    /// <summary>Starts a host on the system clock without logging: the cmdlets' entry point, because their assembly must
    /// not name the logging abstractions, which load only inside the engine's own load context.</summary>
    public static Task<RelayRunner> StartAsync(Func<IConfigurationStore> openStore, RelayHostOptions options, CancellationToken cancellationToken) =>
        StartAsync(openStore, options, null, null, cancellationToken);

    /// <summary>
    /// Opens a store with <paramref name="openStore"/> and starts a host on it; the store is closed again when the
    /// host cannot start. Cancelling returns at once, also while the store is still opening (a database that does
    /// not answer): the store is then closed as soon as its opening ends.
    /// </summary>
    public static async Task<RelayRunner> StartAsync(
        Func<IConfigurationStore> openStore,
        RelayHostOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openStore);
        var opening = Task.Run(openStore, CancellationToken.None);
        IConfigurationStore store;
        try
        {
            store = await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!opening.IsCompleted)
        {
            _ = opening.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        JsonLinesLoggerFactory? logFile = null;
        try
        {
            logFile = options.LogPath is { } logPath ? JsonLinesLoggerFactory.Open(logPath, loggerFactory) : null;
            var host = await RelayHost.StartAsync(store, options, logFile ?? loggerFactory, timeProvider, cancellationToken).ConfigureAwait(false);
            return new RelayRunner(host, store, logFile);
        }
        catch
        {
            logFile?.Dispose();
            store.Dispose();
            throw;
        }
    }

    /// <summary>The host's state, bound endpoints, sessions and bytes now.</summary>
    public RelayStatus GetStatus() => RelayStatus.Of(Host);

    /// <summary>
    /// What starting found, read from the store now (so a host that only runs, like the service, pays nothing for it):
    /// each listener opened (details), and what to act on: a named gateway assigned to another server, disabled or
    /// unknown, a listener that could not bind, a served gateway the certificate does not cover, nothing to serve, a
    /// database or key file other users may read.
    /// </summary>
    public IReadOnlyList<OperationNote> GetStartNotes() => RelayStartReview.Of(Host, _store);

    /// <summary>The database and key files of the store that users other than their owner may read (file modes only, cheap).</summary>
    public IReadOnlyList<OperationNote> GetFileAccessNotes() => ConfigurationDatabase.ReviewFileAccess(_store);

    /// <summary>The live sessions.</summary>
    public IReadOnlyList<RelaySessionInfo> GetSessions() => Host.GetSessions();

    /// <summary>
    /// Drains and stops the host (see <see cref="RelayHost.StopAsync"/>), then closes the store. Safe to call more
    /// than once; cancelling cuts the drain short.
    /// </summary>
    public Task StopAsync(TimeSpan? drainTimeout = null, CancellationToken cancellationToken = default) =>
        StopAsync(drainTimeout, null, cancellationToken);

    /// <summary>
    /// Drains and stops the host like <see cref="StopAsync(TimeSpan?, CancellationToken)"/>, reporting the drain to
    /// <paramref name="progress"/> from a background sampler: sessions left, the bytes per second they still move,
    /// and the time left before the rest are closed.
    /// </summary>
    public async Task StopAsync(TimeSpan? drainTimeout, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        var drain = drainTimeout ?? Host.Options.DrainTimeout;
        var sessionsAtStart = Host.GetSessions().Count;
        var stopping = Host.StopAsync(drain, cancellationToken);
        if (progress is not null)
        {
            await RelayProgress.WatchDrainAsync(Host, stopping, sessionsAtStart, drain, progress).ConfigureAwait(false);
        }

        await stopping.ConfigureAwait(false);
        _store.Dispose();
        _logFile?.Dispose();
    }

    /// <summary>Waits until the host has stopped or <paramref name="timeout"/> passed; true when it stopped.</summary>
    public Task<bool> WaitAsync(TimeSpan? timeout, CancellationToken cancellationToken) => WaitAsync(timeout, null, cancellationToken);

    /// <summary>
    /// Waits like <see cref="WaitAsync(TimeSpan?, CancellationToken)"/>, reporting the running host's status line to
    /// <paramref name="progress"/> every second: state, sessions, uptime and rate, and the time left of <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan? timeout, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        var wait = Completion.WaitAsync(cancellationToken);
        if (timeout is { } limit)
        {
            wait = wait.WaitAsync(limit, cancellationToken);
        }

        if (progress is not null)
        {
            await RelayProgress.WatchRunningAsync(Host, wait, timeout, progress).ConfigureAwait(false);
        }

        try
        {
            await wait.ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits until the host has applied configuration change <paramref name="changeCounter"/> (gateways disabled or
    /// removed) and the live sessions of <paramref name="gateways"/> have ended, by themselves or at the drain deadline
    /// the host gave them, reporting sessions and time left to <paramref name="progress"/>. Returns as soon as the change
    /// is applied for gateways this host does not serve; RelayError when the host does not apply it in time.
    /// </summary>
    public Task WaitForGatewayDrainAsync(IReadOnlyCollection<string> gateways, long changeCounter, IProgress<WorkProgress>? progress, CancellationToken cancellationToken) =>
        GatewayDrain.WaitAsync(Host, gateways, changeCounter, progress, cancellationToken);

    /// <summary>Stops the host without draining and closes the store.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
}
