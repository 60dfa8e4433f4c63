using System.Management.Automation;
using CloudGateway.Networking;
using CloudGateway.PowerShell.Completion;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Records the default gateway of a tenant's network, creating the entry when there is none. Parts not given
/// keep their stored values. Objects from Get-ProductionNetwork or Get-DefaultGateway can be piped in.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DefaultGateway", SupportsShouldProcess = true)]
[OutputType(typeof(DefaultGateway))]
public sealed class SetDefaultGatewayCommand : CloudGatewayCmdlet
{
    /// <summary>The tenant whose network this is.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string Tenant { get; set; } = string.Empty;

    /// <summary>The network's name; one of the networks of the tenant's hardware plan.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PlanNetworkNameCompleter))]
    public string Network { get; set; } = string.Empty;

    /// <summary>The IPv4 gateway address.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? IPAddress { get; set; }

    /// <summary>The IPv4 subnet mask, for example 255.255.255.0.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? SubnetMask { get; set; }

    /// <summary>The IPv4 gateway and prefix length in one, for example 192.168.1.1/24, instead of -IPAddress and -SubnetMask.</summary>
    [Parameter]
    public string? IPv4Prefix { get; set; }

    /// <summary>The IPv6 network address, for example 2001:db8:1::.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? IPv6Network { get; set; }

    /// <summary>The IPv6 prefix length, 1 to 128.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    public int? PrefixLength { get; set; }

    /// <summary>The IPv6 gateway address, inside -IPv6Network.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? IPv6Address { get; set; }

    /// <summary>Writes the gateway as stored.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var target = $"{Tenant}/{Network}";
        if (!ShouldProcess(target, "Set default gateway"))
        {
            return;
        }

        Try(target, () =>
        {
            var gateway = new NetworkExtensionService(NetworkExtensionStore).SetDefaultGateway(new DefaultGatewayInput
            {
                Tenant = Tenant,
                Network = Network,
                IPAddress = IPAddress,
                SubnetMask = SubnetMask,
                IPv4Prefix = IPv4Prefix,
                IPv6Network = IPv6Network,
                PrefixLength = PrefixLength,
                IPv6Address = IPv6Address,
            });
            if (PassThru)
            {
                WriteObject(gateway);
            }
        });
    }
}
