using System.Globalization;
using System.Net;

namespace CloudGateway.Metrics;

/// <summary>
/// Where a relay serves its metrics for Prometheus (GET /metrics) and its status page (GET /status), and the token a
/// request must present, if any. The token is never printed: <see cref="ToString"/> says only whether one is set.
/// </summary>
public sealed class MetricsListenerOptions
{
    /// <summary>The address and port to listen on; port 0 picks a free one.</summary>
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>The token a scrape must send as <c>Authorization: Bearer &lt;token&gt;</c>, or null to serve every local caller.</summary>
    public string? BearerToken { get; init; }

    /// <summary>
    /// Reads <c>port</c> (bound to 127.0.0.1), <c>address:port</c> or <c>[v6address]:port</c>; a non-loopback
    /// address is bound only when written out. Returns null when <paramref name="text"/> is neither.
    /// </summary>
    public static IPEndPoint? ParseEndPoint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return port <= IPEndPoint.MaxPort ? new IPEndPoint(IPAddress.Loopback, port) : null;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > IPEndPoint.MaxPort)
        {
            return null;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }

        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : null;
    }

    /// <inheritdoc />
    public override string ToString() => $"MetricsListenerOptions {{ EndPoint = {EndPoint}, BearerToken = {(BearerToken is null ? "none" : "set")} }}";
}
