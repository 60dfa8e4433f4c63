using System.Diagnostics.Metrics;

namespace CloudGateway.Client;

/// <summary>
/// The tenant side's instruments, on the process-wide meter <see cref="MeterName"/>: a relay's /metrics in the same
/// process includes them, and dotnet-counters or OpenTelemetry can read them anywhere.
/// </summary>
internal static class ClientMetrics
{
    /// <summary>The meter of every tenant-side instrument.</summary>
    public const string MeterName = "CloudGateway.Client";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Failovers = Meter.CreateCounter<long>(
        "cloudgateway.tenant.failovers", "{failover}", "Connections served by another gateway of a provider after the ones tried first failed.");

    /// <summary>Counts one connection of <paramref name="provider"/> that a gateway served after others failed.</summary>
    public static void FailedOver(string provider) => Failovers.Add(1, new KeyValuePair<string, object?>("provider", provider));
}
