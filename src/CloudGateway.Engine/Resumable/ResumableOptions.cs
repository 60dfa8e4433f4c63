namespace CloudGateway.Resumable;

/// <summary>How much a resumable stream keeps for replay, and how often it acknowledges what it received.</summary>
/// <param name="Window">The most bytes sent and not yet acknowledged; a writer waits beyond it.</param>
/// <param name="AckEvery">Acknowledges at the latest after this many bytes received.</param>
/// <param name="AckDelay">Acknowledges at the latest this long after bytes arrived.</param>
/// <param name="ReceiveLimit">The most bytes received and not yet read by the application; reading the transport pauses beyond it.</param>
public sealed record ResumableOptions(int Window, int AckEvery, TimeSpan AckDelay, int ReceiveLimit)
{
    /// <summary>4 MiB each way, an ack every 64 KiB or 20 ms, 1 MiB waiting for the application.</summary>
    public static ResumableOptions Default { get; } = new(4 * 1024 * 1024, 64 * 1024, TimeSpan.FromMilliseconds(20), 1024 * 1024);
}
