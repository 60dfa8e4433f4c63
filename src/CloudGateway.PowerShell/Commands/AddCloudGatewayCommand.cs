using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Adds a gateway to the configuration and writes it as stored.</summary>
[Cmdlet(VerbsCommon.Add, "CloudGateway", SupportsShouldProcess = true)]
[OutputType(typeof(Gateway))]
public sealed class AddCloudGatewayCommand : CloudGatewayCmdlet
{
    /// <summary>The new gateway's unique name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The DNS name or IP address tenants connect to.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public string Address { get; set; } = string.Empty;

    /// <summary>The port tenants connect to.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Port { get; set; } = Gateway.DefaultPort;

    /// <summary>Direct, or Nat when a NAT device maps Port to InternalPort.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public NetworkMode NetworkMode { get; set; } = NetworkMode.Direct;

    /// <summary>The port the gateway listens on behind a NAT; in Direct mode it is always Port.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int InternalPort { get; set; } = Gateway.DefaultPort;

    /// <summary>The local address to listen on; all addresses when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ListenAddress { get; set; }

    /// <summary>The machine that runs the gateway; this machine when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string Server { get; set; } = Environment.MachineName;

    /// <summary>Free text for administrators.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string Description { get; set; } = string.Empty;

    /// <summary>Adds the gateway disabled, so it accepts no tenants until enabled.</summary>
    [Parameter]
    public SwitchParameter Disabled { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var gateway = new Gateway
        {
            Name = Name,
            Address = Address,
            Port = Port,
            NetworkMode = NetworkMode,
            InternalPort = InternalPort,
            ListenAddress = ListenAddress,
            Server = Server,
            Description = Description,
            Enabled = !Disabled,
        };
        if (ShouldProcess(Name, "Add gateway"))
        {
            Try(Name, () =>
            {
                var added = Store.AddGateway(gateway);
                WriteNotes(ConfigurationReview.AfterGatewayChange(Store, added, "added"));
                WriteObject(added);
            });
        }
    }
}
