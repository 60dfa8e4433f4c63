using System.Management.Automation;
using System.Net;
using CloudGateway.Tunnels;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Starts a local listener that carries every local connection through the provider's gateways to one resource,
/// failing over to another gateway for each new connection. The tunnel runs in the background of the session.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "CloudTunnel", SupportsShouldProcess = true)]
[OutputType(typeof(CloudTunnel))]
public sealed class StartCloudTunnelCommand : CloudGatewayCmdlet
{
    /// <summary>The provider whose gateways carry the tunnel.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    [Alias("Name")]
    public string Provider { get; set; } = string.Empty;

    /// <summary>The tenant resource every local connection is carried to.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Resource { get; set; } = string.Empty;

    /// <summary>The local port to listen on; 0 (the default) picks a free port, shown in the output.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int LocalPort { get; set; }

    /// <summary>The local address to listen on; 127.0.0.1 unless other machines should use the tunnel.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string LocalAddress { get; set; } = "127.0.0.1";

    /// <summary>Carries each connection in a resumable session, which survives a broken gateway connection within the gateway's grace period.</summary>
    [Parameter]
    public SwitchParameter Resumable { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(Provider, () =>
        {
            var endPoint = LocalEndPoint();
            if (ShouldProcess($"{Provider}/{Resource}", $"Start a {(Resumable ? "resumable " : "")}tunnel listening on {endPoint}"))
            {
                var session = TenantSession.Current;
                WriteObject(session.Tunnels.Start(Provider, Resource, session.Providers.CreateClient(Provider), endPoint, Resumable));
            }
        });
    }

    private IPEndPoint LocalEndPoint()
    {
        if (!IPAddress.TryParse(LocalAddress, out var address))
        {
            GatewayException.ThrowIfInvalid("The tunnel", LocalAddress, [new ValidationProblem("LocalAddress", $"'{LocalAddress}' is not an IP address")]);
        }

        return new IPEndPoint(address!, LocalPort);
    }
}
