namespace CloudGateway.Relay;

/// <summary>Where a <see cref="RelayHost"/> is in its life.</summary>
public enum RelayHostState
{
    /// <summary>Reading the configuration and binding listeners.</summary>
    Starting,
    /// <summary>Accepting tenants.</summary>
    Running,
    /// <summary>No longer accepting; live sessions are finishing until the drain timeout.</summary>
    Draining,
    /// <summary>Every listener and session is closed.</summary>
    Stopped,
}
