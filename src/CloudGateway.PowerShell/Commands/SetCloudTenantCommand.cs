using System.Management.Automation;
using System.Security;
using CloudGateway.Model;
using CloudGateway.Networking;
using CloudGateway.PowerShell.Completion;
using CloudGateway.Security;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Changes the given properties of tenants, and optionally their password; properties not given keep their values.</summary>
[Cmdlet(VerbsCommon.Set, "CloudTenant", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(Tenant))]
public sealed class SetCloudTenantCommand : CloudGatewayCmdlet
{
    /// <summary>The tenants to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByName)]
    [ArgumentCompleter(typeof(TenantNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The tenants to change, as written by Get-CloudTenant.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.ByInputObject)]
    public Tenant[] InputObject { get; set; } = [];

    /// <summary>A new unique name.</summary>
    [Parameter]
    public string? NewName { get; set; }

    /// <summary>A new password.</summary>
    [Parameter]
    public SecureString? Password { get; set; }

    /// <summary>Pools in the order the tenant tries them; an empty list means standalone gateways.</summary>
    [Parameter]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(PoolNameCompleter))]
    public string[]? Pool { get; set; }

    /// <summary>Whether the tenant may fall back to standalone gateways when every gateway of its pools is down.</summary>
    [Parameter]
    public SwitchParameter GatewayFailover { get; set; }

    /// <summary>The most sessions the tenant may hold at once; 0 for no limit.</summary>
    [Parameter]
    public int MaxConcurrentSessions { get; set; }

    /// <summary>Bytes per second from tenant to SP; 0 for no limit.</summary>
    [Parameter]
    public long UploadBandwidth { get; set; }

    /// <summary>Bytes per second from SP to tenant; 0 for no limit.</summary>
    [Parameter]
    public long DownloadBandwidth { get; set; }

    /// <summary>When the tenant's lease ends; $null for never.</summary>
    [Parameter]
    public DateTime? LeaseExpiration { get; set; }

    /// <summary>Free text for administrators.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>The hardware plan the tenant subscribes to (its replica networks after a failover); an empty string for none.</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(HardwarePlanNameCompleter))]
    public string? HardwarePlan { get; set; }

    /// <summary>Writes each changed tenant.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ParameterSets.ByInputObject ? InputObject.Select(tenant => tenant.Name) : Name;
        foreach (var name in names)
        {
            if (ShouldProcess(name, "Set tenant"))
            {
                Try(name, () =>
                {
                    // One engine call, one transaction: a refused password, plan or change leaves the tenant as it was.
                    var passwordHash = Password is null ? null : PasswordPolicy.Current().HashNew(Password);
                    var plan = IsBound(nameof(HardwarePlan)) ? NetworkExtensionService.WithHardwarePlan(HardwarePlan) : null;
                    var tenant = Store.UpdateTenant(name, Change, passwordHash, plan);
                    if (PassThru)
                    {
                        WriteObject(tenant);
                    }
                });
            }
        }
    }

    private Tenant Change(Tenant tenant) => tenant with
    {
        Name = NewName ?? tenant.Name,
        Description = Description ?? tenant.Description,
        GatewayFailover = IsBound(nameof(GatewayFailover)) ? GatewayFailover : tenant.GatewayFailover,
        MaxConcurrentSessions = IsBound(nameof(MaxConcurrentSessions)) ? MaxConcurrentSessions : tenant.MaxConcurrentSessions,
        UploadBandwidth = IsBound(nameof(UploadBandwidth)) ? UploadBandwidth : tenant.UploadBandwidth,
        DownloadBandwidth = IsBound(nameof(DownloadBandwidth)) ? DownloadBandwidth : tenant.DownloadBandwidth,
        LeaseExpiration = IsBound(nameof(LeaseExpiration)) ? LeaseExpiration : tenant.LeaseExpiration,
        Pools = Pool ?? tenant.Pools,
    };
}
