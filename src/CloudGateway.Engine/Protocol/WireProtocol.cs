namespace CloudGateway.Protocol;

/// <summary>Constants of the wire protocol (docs/protocol.md).</summary>
public static class WireProtocol
{
    /// <summary>The protocol version this build speaks.</summary>
    public const int Version = 1;

    /// <summary>The largest frame, its terminating line feed included.</summary>
    public const int MaxFrameBytes = 8192;
}
