namespace CloudGateway.Model;

/// <summary>
/// A cloud gateway: a TLS listener at the SP's edge that tenants reach at <see cref="Address"/>:<see cref="Port"/>.
/// </summary>
public sealed record Gateway
{
    /// <summary>The default port tenants connect to.</summary>
    public const int DefaultPort = 6180;

    /// <summary>Stable identity, kept across renames and exports.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>Unique name, compared without regard to case.</summary>
    public required string Name { get; init; }

    /// <summary>Free text for administrators.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The machine that runs this gateway; a relay host serves the gateways of its own machine.</summary>
    public string Server { get; init; } = Environment.MachineName;

    /// <summary>Direct, or behind a NAT that maps <see cref="Port"/> to <see cref="InternalPort"/>.</summary>
    public NetworkMode NetworkMode { get; init; } = NetworkMode.Direct;

    /// <summary>The DNS name or IP address tenants are told to connect to.</summary>
    public required string Address { get; init; }

    /// <summary>The port tenants connect to.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The local address the listener binds, or null for all addresses.</summary>
    public string? ListenAddress { get; init; }

    /// <summary>The port the gateway listens on; equal to <see cref="Port"/> in Direct mode.</summary>
    public int InternalPort { get; init; } = DefaultPort;

    /// <summary>Whether the gateway accepts tenants.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The pool this gateway belongs to, or null when it is standalone. Filled in by the store on read.</summary>
    public string? Pool { get; init; }

    /// <summary>When the gateway was added.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the gateway was last changed.</summary>
    public DateTimeOffset Modified { get; init; }

    /// <summary>The port the listener binds: <see cref="Port"/> in Direct mode, <see cref="InternalPort"/> behind NAT.</summary>
    public int ListenPort => NetworkMode == NetworkMode.Direct ? Port : InternalPort;
}
