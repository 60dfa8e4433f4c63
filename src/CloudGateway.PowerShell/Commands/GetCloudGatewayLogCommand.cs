using System.Management.Automation;
using CloudGateway.Logging;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Reads a relay's log file (Start-CloudGatewayRelay -LogPath, or the service's JSON lines saved to a file) as
/// objects: all of it, the last lines, or new lines as they come with -Wait until Ctrl+C.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CloudGatewayLog")]
[OutputType(typeof(LogEntry))]
public sealed class GetCloudGatewayLogCommand : CloudGatewayCmdlet
{
    /// <summary>The log file; by default the one the relay of this session writes.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("LogPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Only the last this many entries (of those -EventId selects).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Only entries with these event ids, such as 203 (wrong password) or 207 (tenant locked).</summary>
    [Parameter]
    public int[]? EventId { get; set; }

    /// <summary>Keeps reading, writing each new entry as it is logged, until Ctrl+C.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var path = Path is null ? ModuleRelay.Current?.Host.Options.LogPath : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        Try(path ?? "CloudGatewayLog", () =>
        {
            var file = path ?? throw new GatewayException(GatewayErrorCode.NotFound, "No log file was named, and no relay of this session writes one: give -Path, or start the relay with Start-CloudGatewayRelay -LogPath.", "CloudGatewayLog");
            var entries = Wait ? LogFileReader.Follow(file, Tail, EventId, CancellationToken) : LogFileReader.Read(file, Tail, EventId);
            foreach (var entry in entries)
            {
                WriteObject(entry);
            }
        });
    }
}
