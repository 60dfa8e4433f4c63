using CloudGateway.Protocol;

namespace CloudGateway.Client;

/// <summary>One gateway on a tenant's list, in the order the provider gave it, with its health.</summary>
public sealed record KnownGateway
{
    /// <summary>The gateway's name as the provider calls it.</summary>
    public required string Name { get; init; }

    /// <summary>The DNS name or IP address to connect to.</summary>
    public required string Address { get; init; }

    /// <summary>The port to connect to.</summary>
    public required int Port { get; init; }

    /// <summary>A standalone gateway offered only when the tenant's pools are unavailable.</summary>
    public bool Fallback { get; init; }

    /// <summary>Recent behaviour of this gateway as seen by this tenant.</summary>
    public GatewayHealth Health { get; init; } = GatewayHealth.Unknown;

    /// <summary>Address:Port, as shown to users.</summary>
    public string Endpoint => Address.Contains(':', StringComparison.Ordinal) ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    /// <summary>Whether this entry points at the same place as <paramref name="address"/>:<paramref name="port"/>.</summary>
    public bool IsAt(string address, int port) => Port == port && string.Equals(Address, address, StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds the entry for a gateway of an answer, keeping the health of the entry it replaces.</summary>
    internal static KnownGateway From(GatewayEndpoint endpoint, GatewayHealth health) =>
        new() { Name = endpoint.Name, Address = endpoint.Address, Port = endpoint.Port, Fallback = endpoint.Fallback, Health = health };
}
