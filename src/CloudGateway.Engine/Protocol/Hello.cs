namespace CloudGateway.Protocol;

/// <summary>
/// The one frame a tenant sends after TLS: who it is and which resource it wants, or that it wants its gateway list only.
/// </summary>
public sealed class Hello
{
    /// <summary>The protocol version the tenant speaks.</summary>
    public int Version { get; init; } = WireProtocol.Version;

    /// <summary>The tenant's name.</summary>
    public required string Tenant { get; init; }

    /// <summary>The tenant's password; never logged or printed.</summary>
    public required string Password { get; init; }

    /// <summary>The name of the resource to relay to; null when <see cref="ListOnly"/> is set.</summary>
    public string? Resource { get; init; }

    /// <summary>Asks only for the gateway list; the gateway closes the connection after its answer.</summary>
    public bool ListOnly { get; init; }

    /// <summary>Asks for a resumable session: framed bytes that survive a broken connection (docs/protocol.md, section 8).</summary>
    public bool Resumable { get; init; }

    /// <summary>The resume token of the session to pick up again, from its latest answer; never logged.</summary>
    public string? Resume { get; init; }

    /// <summary>With <see cref="Resume"/>: the offset of the next byte the tenant expects from the gateway.</summary>
    public long Received { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"Hello {{ Version = {Version}, Tenant = {Tenant}, Resource = {Resource}, ListOnly = {ListOnly}, Resumable = {Resumable}, Resuming = {Resume is not null} }}";
}
