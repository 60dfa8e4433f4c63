namespace CloudGateway.Client;

/// <summary>What a tunnel needs of a connection to a resource, plain or resumable: the gateway carrying it, and a half-close.</summary>
internal interface IGatewayConnection
{
    /// <summary>The gateway that carries the connection now.</summary>
    KnownGateway Gateway { get; }

    /// <summary>Tells the resource that nothing more will be written; reading goes on.</summary>
    Task ShutdownWriteAsync();
}
