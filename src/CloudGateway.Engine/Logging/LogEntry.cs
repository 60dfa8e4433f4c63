namespace CloudGateway.Logging;

/// <summary>One event of a relay's log file: when, how severe, its stable event id, and what it says.</summary>
/// <param name="Timestamp">When the event was logged (UTC).</param>
/// <param name="Level">Trace, Debug, Information, Warning, Error or Critical.</param>
/// <param name="EventId">The event's stable id (docs/protocol.md lists the relay's; 200-218 are refusals and lockouts).</param>
/// <param name="Category">The part that logged it, such as CloudGateway.Relay.</param>
/// <param name="Message">The event in one line, control characters escaped.</param>
/// <param name="State">The event's named values (tenant, gateway, remote address, reason...), never a password.</param>
public sealed record LogEntry(DateTimeOffset Timestamp, string Level, int EventId, string Category, string Message, IReadOnlyDictionary<string, string?> State);
