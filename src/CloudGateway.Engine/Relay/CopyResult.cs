namespace CloudGateway.Relay;

/// <summary>How one direction of a relay ended; the copy loop reports it instead of throwing.</summary>
internal enum CopyResult
{
    /// <summary>The source ended its stream and the end was passed on to the destination.</summary>
    Completed,
    /// <summary>Reading from the source failed (reset, closed by the host, TLS error).</summary>
    SourceFailed,
    /// <summary>Writing to the destination failed.</summary>
    DestinationFailed,
}
