namespace CloudGateway.Relay;

/// <summary>The host's table of live connections: an engine adds each connection it takes, and the connection leaves it when it ends.</summary>
internal interface IConnectionRegistry
{
    /// <summary>Whether the host is running: a draining or stopped host takes no new connection and admits no hello.</summary>
    bool Running { get; }

    /// <summary>The id for the next connection.</summary>
    long NextId();

    /// <summary>Registers a connection just accepted, before it starts.</summary>
    void Add(RelayConnection connection);

    /// <summary>Takes an ended connection out; the host's drain completes when the last one leaves.</summary>
    void Remove(RelayConnection connection);
}
