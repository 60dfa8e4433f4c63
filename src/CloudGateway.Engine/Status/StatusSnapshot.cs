using CloudGateway.Metrics;
using CloudGateway.Relay;

namespace CloudGateway.Status;

/// <summary>What the status page shows of one relay at one moment: the host, its certificate and configuration, its gateways and busiest tenants.</summary>
internal sealed record StatusSnapshot(
    string Server,
    RelayEngine Engine,
    RelayHostState State,
    DateTimeOffset Started,
    DateTimeOffset Taken,
    CertificateStatus Certificate,
    ConfigurationStatus Configuration,
    IReadOnlyList<GatewayStatus> Gateways,
    IReadOnlyList<TenantFigures> BusiestTenants);

/// <summary>One gateway's figures, its refusals by reason code, and its throughput in bytes per second over the last few seconds.</summary>
internal sealed record GatewayStatus(GatewayStatistics Figures, IReadOnlyDictionary<string, long> RefusalsByReason, double RateIn, double RateOut);

/// <summary>The certificate the gateways present: subject, SHA-256 thumbprint and end of validity.</summary>
internal sealed record CertificateStatus(string Subject, string Thumbprint, DateTimeOffset NotAfter);

/// <summary>The configuration served: its change counter, when the store was last read, the last reload's duration, and since when the store has been unreachable.</summary>
internal sealed record ConfigurationStatus(long Version, DateTimeOffset CheckedAt, TimeSpan LastReload, DateTimeOffset? StoreUnavailableSince);
