namespace CloudGateway.Client;

/// <summary>One gateway tried while opening a connection, and why it did not serve (null when it did).</summary>
public sealed record GatewayAttempt(string Gateway, string Endpoint, string? Failure, TimeSpan Elapsed)
{
    /// <inheritdoc />
    public override string ToString() => Failure is null
        ? $"{Gateway} ({Endpoint}): connected in {Elapsed.TotalMilliseconds:F0} ms"
        : $"{Gateway} ({Endpoint}): {Failure} after {Elapsed.TotalMilliseconds:F0} ms";
}
