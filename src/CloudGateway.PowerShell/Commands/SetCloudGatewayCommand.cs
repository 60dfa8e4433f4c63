using System.Management.Automation;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Changes the given properties of gateways; properties not given keep their values.</summary>
[Cmdlet(VerbsCommon.Set, "CloudGateway", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(Gateway))]
public sealed class SetCloudGatewayCommand : CloudGatewayCmdlet
{
    /// <summary>The gateways to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(GatewayNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The gateways to change, as written by Get-CloudGateway.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public Gateway[] InputObject { get; set; } = [];

    /// <summary>A new unique name.</summary>
    [Parameter]
    public string? NewName { get; set; }

    /// <summary>The DNS name or IP address tenants connect to.</summary>
    [Parameter]
    public string? Address { get; set; }

    /// <summary>The port tenants connect to.</summary>
    [Parameter]
    public int Port { get; set; }

    /// <summary>Direct, or Nat when a NAT device maps Port to InternalPort.</summary>
    [Parameter]
    public NetworkMode NetworkMode { get; set; }

    /// <summary>The port the gateway listens on behind a NAT.</summary>
    [Parameter]
    public int InternalPort { get; set; }

    /// <summary>The local address to listen on; an empty string means all addresses.</summary>
    [Parameter]
    public string? ListenAddress { get; set; }

    /// <summary>The machine that runs the gateway.</summary>
    [Parameter]
    public string? Server { get; set; }

    /// <summary>Free text for administrators.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Writes each changed gateway.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(gateway => gateway.Name) : Name;
        foreach (var name in names)
        {
            if (ShouldProcess(name, "Set gateway"))
            {
                Try(name, () =>
                {
                    var gateway = Store.UpdateGateway(name, Change);
                    WriteNotes(ConfigurationReview.AfterGatewayChange(Store, gateway, "updated"));
                    if (PassThru)
                    {
                        WriteObject(gateway);
                    }
                });
            }
        }
    }

    private Gateway Change(Gateway gateway) => gateway with
    {
        Name = NewName ?? gateway.Name,
        Address = Address ?? gateway.Address,
        Port = IsBound(nameof(Port)) ? Port : gateway.Port,
        NetworkMode = IsBound(nameof(NetworkMode)) ? NetworkMode : gateway.NetworkMode,
        InternalPort = IsBound(nameof(InternalPort)) ? InternalPort : gateway.InternalPort,
        ListenAddress = ListenAddress ?? gateway.ListenAddress,
        Server = Server ?? gateway.Server,
        Description = Description ?? gateway.Description,
    };
}
