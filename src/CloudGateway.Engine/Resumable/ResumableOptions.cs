namespace CloudGateway.Resumable;

/// <summary>
/// How much a resumable stream keeps for replay, and how often it acknowledges. A side acknowledges bytes once its
/// application has read them, so the other side's window also bounds what waits here to be read.
/// </summary>
/// <param name="Window">The most bytes sent and not yet acknowledged; a writer waits beyond it.</param>
/// <param name="AckEvery">Acknowledges at the latest after the application read this many bytes.</param>
/// <param name="AckDelay">Acknowledges at the latest this long after the application read bytes.</param>
public sealed record ResumableOptions(int Window, int AckEvery, TimeSpan AckDelay)
{
    /// <summary>A side that has sent nothing for this long sends an acknowledgement anyway, so the other knows the link lives.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A link that brought nothing for this long counts as broken (a path that went silent without a reset).</summary>
    public TimeSpan SilenceLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>4 MiB each way, an ack every 64 KiB or 20 ms.</summary>
    public static ResumableOptions Default { get; } = new(4 * 1024 * 1024, 64 * 1024, TimeSpan.FromMilliseconds(20));
}
