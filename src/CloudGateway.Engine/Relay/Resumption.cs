namespace CloudGateway.Relay;

/// <summary>What an accepted answer adds for a resumable session: its lasting id, the new resume token, the window and grace period, and on a resume the offset the tenant replays from.</summary>
internal sealed record Resumption(Guid SessionId, string Token, int Window, TimeSpan GracePeriod, long? Received);
