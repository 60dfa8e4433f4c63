namespace CloudGateway.Protocol;

/// <summary>The gateway's one answer to a hello: accepted with a session id and the gateway list, or refused with a reason code.</summary>
public sealed record HelloAnswer
{
    /// <summary>The protocol version the gateway speaks.</summary>
    public int Version { get; init; } = WireProtocol.Version;

    /// <summary>Whether the tenant was admitted.</summary>
    public required bool Accepted { get; init; }

    /// <summary>The session id, when accepted.</summary>
    public string? SessionId { get; init; }

    /// <summary>The gateways this tenant may use, in the order to try them, when accepted.</summary>
    public IReadOnlyList<GatewayEndpoint> Gateways { get; init; } = [];

    /// <summary>One of the <see cref="RefusalReason"/> codes, when refused.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// When accepted and the SP staged a successor certificate: its SHA-256 thumbprint (64 upper-case hex digits), which
    /// the tenant should accept besides its pin from now on. Absent otherwise; older clients ignore it.
    /// </summary>
    public string? NextCertificate { get; init; }

    /// <summary>For a resumable session: the token that resumes it after a break (each answer gives a new one); never logged.</summary>
    public string? ResumeToken { get; init; }

    /// <summary>For a resumable session: the most bytes either side keeps unacknowledged.</summary>
    public int? Window { get; init; }

    /// <summary>For a resumable session: how many seconds the gateway keeps it after its connection broke.</summary>
    public int? GracePeriod { get; init; }

    /// <summary>For a resumed session: the offset of the next byte the gateway expects from the tenant.</summary>
    public long? Received { get; init; }

    /// <summary>An accepted answer, announcing the successor certificate <paramref name="nextCertificate"/> when one is staged.</summary>
    public static HelloAnswer Accept(string sessionId, IReadOnlyList<GatewayEndpoint> gateways, string? nextCertificate = null) =>
        new() { Accepted = true, SessionId = sessionId, Gateways = gateways, NextCertificate = nextCertificate };

    /// <summary>A refused answer carrying one reason code.</summary>
    public static HelloAnswer Refuse(string reason) => new() { Accepted = false, Reason = reason };
}

/// <summary>One gateway a tenant may use; <see cref="Fallback"/> marks standalone gateways offered only as failover.</summary>
public sealed record GatewayEndpoint(string Name, string Address, int Port, bool Fallback);
