using System.Globalization;
using CloudGateway.Relay;

namespace CloudGateway.Hosting;

/// <summary>
/// Watches a relay host while a stop drains it or a caller waits for it, and reports what it sees: the sessions
/// left, the bytes per second they still move, and the time left. Reading the host's sessions is safe from any
/// thread, so the watch runs beside the work and never touches it.
/// </summary>
internal static class RelayProgress
{
    /// <summary>How often a drain is sampled: often enough that a bar moves smoothly through a 30-second drain.</summary>
    public static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a running relay is sampled while someone waits for it; its status line shows whole seconds.</summary>
    public static readonly TimeSpan WaitInterval = TimeSpan.FromSeconds(1);

    /// <summary>Reports the drain of <paramref name="host"/> (see <see cref="Drain"/>) until <paramref name="stopping"/> ends.</summary>
    public static Task WatchDrainAsync(RelayHost host, Task stopping, int sessionsAtStart, TimeSpan drainTimeout, IProgress<WorkProgress> progress) =>
        WatchAsync(host, stopping, DrainInterval, progress, (sessions, elapsed) => Drain(sessions, sessionsAtStart, elapsed, drainTimeout));

    /// <summary>
    /// One drain report: <paramref name="sessions"/> left of <paramref name="sessionsAtStart"/>, <paramref name="elapsed"/>
    /// of <paramref name="drainTimeout"/> gone. The percentage is the larger of the two shares, so it moves steadily
    /// and never goes back (sessions only close while draining).
    /// </summary>
    public static WorkProgress Drain(IReadOnlyList<RelaySessionInfo> sessions, int sessionsAtStart, TimeSpan elapsed, TimeSpan drainTimeout)
    {
        var closed = sessionsAtStart == 0 ? 1.0 : (double)(sessionsAtStart - sessions.Count) / sessionsAtStart;
        var timeGone = drainTimeout <= TimeSpan.Zero ? 1.0 : Math.Min(1.0, elapsed / drainTimeout);
        return new WorkProgress
        {
            Status = string.Create(CultureInfo.InvariantCulture, $"{sessions.Count} of {sessionsAtStart} session(s) left, {Rate(sessions)} still moving"),
            PercentComplete = (int)(Math.Clamp(Math.Max(closed, timeGone), 0, 1) * 100),
            Remaining = Max(drainTimeout - elapsed, TimeSpan.Zero),
            CurrentOperation = Busiest(sessions),
        };
    }

    /// <summary>
    /// Reports the status of <paramref name="host"/> while <paramref name="waiting"/> runs: its sessions, uptime and
    /// rate; with a <paramref name="timeout"/>, the share of it gone and the time left.
    /// </summary>
    public static Task WatchRunningAsync(RelayHost host, Task waiting, TimeSpan? timeout, IProgress<WorkProgress> progress) =>
        WatchAsync(host, waiting, WaitInterval, progress, (sessions, elapsed) =>
        {
            var uptime = host.TimeProvider.GetUtcNow() - host.Started;
            return new WorkProgress
            {
                Status = string.Create(CultureInfo.InvariantCulture,
                    $"{host.State}: {sessions.Count} session(s), up {uptime:d\\.hh\\:mm\\:ss}, {Rate(sessions)}"),
                PercentComplete = timeout is { } limit ? WorkProgress.Percent(elapsed.Ticks, Math.Max(1, limit.Ticks)) : null,
                Remaining = timeout is { } end ? Max(end - elapsed, TimeSpan.Zero) : null,
                CurrentOperation = Busiest(sessions),
            };
        });

    private static async Task WatchAsync(RelayHost host, Task work, TimeSpan interval, IProgress<WorkProgress> progress,
        Func<IReadOnlyList<RelaySessionInfo>, TimeSpan, WorkProgress> describe)
    {
        var time = host.TimeProvider;
        var started = time.GetTimestamp();
        while (!work.IsCompleted)
        {
            progress.Report(describe(host.GetSessions(), time.GetElapsedTime(started)));
            using var tick = new CancellationTokenSource();
            await Task.WhenAny(work, Task.Delay(interval, time, tick.Token)).ConfigureAwait(false);
            await tick.CancelAsync().ConfigureAwait(false);
        }
    }

    private static string Rate(IReadOnlyList<RelaySessionInfo> sessions) =>
        ByteRate(sessions.Sum(s => s.UpRate + s.DownRate));

    // The session moving the most bytes now, so an administrator sees who the drain is waiting for.
    private static string? Busiest(IReadOnlyList<RelaySessionInfo> sessions) =>
        sessions.MaxBy(s => s.UpRate + s.DownRate) is { } busiest
            ? $"{busiest.Tenant}/{busiest.Resource} through {busiest.Gateway}: {ByteRate(busiest.UpRate + busiest.DownRate)}"
            : null;

    private static string ByteRate(double bytesPerSecond) => bytesPerSecond switch
    {
        >= 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytesPerSecond / (1 << 30):0.0} GiB/s"),
        >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytesPerSecond / (1 << 20):0.0} MiB/s"),
        >= 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytesPerSecond / (1 << 10):0.0} KiB/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytesPerSecond:0} B/s"),
    };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
