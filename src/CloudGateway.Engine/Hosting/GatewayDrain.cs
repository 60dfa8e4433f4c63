using System.Globalization;
using CloudGateway.Relay;

namespace CloudGateway.Hosting;

/// <summary>
/// Waits, for someone who disabled or removed gateways, until a running host has applied that change and the
/// gateways' live sessions have ended: by themselves, or at the drain deadline the host gave them when it stopped
/// their listeners. The host does the draining; this only watches and reports.
/// </summary>
internal static class GatewayDrain
{
    // The host's sweeper closes sessions past their deadline within a second of it; waiting longer means it never will.
    private static readonly TimeSpan SweepAllowance = TimeSpan.FromSeconds(2);

    public static async Task WaitAsync(RelayHost host, IReadOnlyCollection<string> gateways, long changeCounter, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        var time = host.TimeProvider;
        using var timer = new PeriodicTimer(RelayProgress.DrainInterval, time);
        await WaitUntilAppliedAsync(host, changeCounter, timer, progress, cancellationToken).ConfigureAwait(false);

        var applied = time.GetTimestamp();
        var drainTimeout = host.Options.DrainTimeout;
        var sessionsAtStart = SessionsOf(host, gateways).Count;
        while (host.State == RelayHostState.Running)
        {
            var sessions = SessionsOf(host, gateways);
            var elapsed = time.GetElapsedTime(applied);
            if (sessions.Count == 0 || elapsed > drainTimeout + SweepAllowance)
            {
                return;
            }

            progress?.Report(RelayProgress.Drain(sessions, sessionsAtStart, elapsed, drainTimeout));
            await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WaitUntilAppliedAsync(RelayHost host, long changeCounter, PeriodicTimer timer, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        // A host applies a change within its poll interval; one that has not after many intervals cannot read its store.
        var limit = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, host.Options.ConfigurationPollInterval.Ticks * 10));
        var started = host.TimeProvider.GetTimestamp();
        while (host.ConfigurationChangeCounter < changeCounter && host.State == RelayHostState.Running)
        {
            if (host.TimeProvider.GetElapsedTime(started) > limit)
            {
                throw new GatewayException(GatewayErrorCode.RelayError, string.Create(CultureInfo.InvariantCulture,
                    $"The relay did not apply change {changeCounter} within {limit.TotalSeconds:0} s; it serves change {host.ConfigurationChangeCounter} (is its store reachable?)."), "CloudGatewayRelay");
            }

            progress?.Report(new WorkProgress { Status = $"Waiting for the relay to apply change {changeCounter}", PercentComplete = 0 });
            await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<RelaySessionInfo> SessionsOf(RelayHost host, IReadOnlyCollection<string> gateways) =>
        host.GetSessions().Where(s => gateways.Contains(s.Gateway, StringComparer.OrdinalIgnoreCase)).ToList();
}
