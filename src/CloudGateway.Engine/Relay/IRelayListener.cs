namespace CloudGateway.Relay;

/// <summary>A gateway's listening socket as an engine accepts on it; it owns the socket from then on.</summary>
internal interface IRelayListener : IDisposable
{
    /// <summary>Completes once the listener has stopped accepting for good.</summary>
    Task Stopped { get; }

    /// <summary>Stops accepting at once: new connections are refused. Safe to call twice.</summary>
    void Stop();
}
