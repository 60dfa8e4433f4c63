using CloudGateway.Client;

namespace CloudGateway.Tests.Client;

/// <summary>An in-memory list store, to see what the client persists.</summary>
internal sealed class MemoryGatewayListStore : IGatewayListStore
{
    public IReadOnlyList<KnownGateway> Gateways { get; private set; } = [];

    public DateTimeOffset? RefreshedAt { get; private set; }

    public int HealthWrites { get; private set; }

    public (IReadOnlyList<KnownGateway> Gateways, DateTimeOffset? RefreshedAt) Load() => (Gateways, RefreshedAt);

    public void SaveList(IReadOnlyList<KnownGateway> gateways, DateTimeOffset refreshedAt) => (Gateways, RefreshedAt) = (gateways, refreshedAt);

    public void SaveHealth(string gatewayName, GatewayHealth health)
    {
        HealthWrites++;
        Gateways = [.. Gateways.Select(g => g.Name == gatewayName ? g with { Health = health } : g)];
    }
}
