namespace CloudGateway.Relay;

/// <summary>Which engine relays a host's connections.</summary>
public enum RelayEngine
{
    /// <summary>The native engine where it can run (Linux with OpenSSL 3), the managed engine elsewhere.</summary>
    Automatic,

    /// <summary>.NET's SslStream and asynchronous sockets: every platform.</summary>
    Managed,

    /// <summary>Event loops with OpenSSL on the sockets, as HAProxy does: Linux with OpenSSL 3 (libssl.so.3) only.</summary>
    Native,
}
