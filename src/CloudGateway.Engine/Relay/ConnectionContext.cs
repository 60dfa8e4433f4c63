using CloudGateway.Metrics;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Relay;

/// <summary>
/// What a host hands each of its connections, whichever engine runs them: clock, logger and options, admission of
/// hellos, shared session leases, metrics, and the table of connections it joins and leaves. One per host.
/// </summary>
internal sealed class ConnectionContext(
    TimeProvider timeProvider,
    ILogger logger,
    RelayHostOptions options,
    IHelloAdmission admission,
    IConnectionRegistry connections,
    SharedSessions sharedSessions,
    RelayMetrics metrics)
{
    public TimeProvider TimeProvider { get; } = timeProvider;

    public ILogger Logger { get; } = logger;

    public RelayHostOptions Options { get; } = options;

    public IHelloAdmission Admission { get; } = admission;

    public IConnectionRegistry Connections { get; } = connections;

    public SharedSessions SharedSessions { get; } = sharedSessions;

    public RelayMetrics Metrics { get; } = metrics;
}
