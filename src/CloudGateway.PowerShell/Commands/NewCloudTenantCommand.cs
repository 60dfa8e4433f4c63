using System.Management.Automation;
using System.Security;
using CloudGateway.Model;
using CloudGateway.PowerShell.Completion;
using CloudGateway.Security;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Creates a tenant; only the PBKDF2 hash of its password is stored.</summary>
[Cmdlet(VerbsCommon.New, "CloudTenant", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByPassword)]
[OutputType(typeof(Tenant))]
public sealed class NewCloudTenantCommand : CloudGatewayCmdlet
{
    /// <summary>The tenant's unique logon name; with -Credential, the credential's user name when omitted.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByPassword)]
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.ByCredential)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The tenant's password.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ParameterSets.ByPassword)]
    public SecureString Password { get; set; } = new();

    /// <summary>The tenant's logon name and password.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.ByCredential)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>Pools in the order the tenant tries them; standalone gateways when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PoolNameCompleter))]
    public string[] Pool { get; set; } = [];

    /// <summary>Lets the tenant fall back to standalone gateways when every gateway of its pools is down.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter GatewayFailover { get; set; }

    /// <summary>The most sessions the tenant may hold at once; 0 for no limit.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int MaxConcurrentSessions { get; set; }

    /// <summary>Bytes per second from tenant to SP; 0 for no limit.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long UploadBandwidth { get; set; }

    /// <summary>Bytes per second from SP to tenant; 0 for no limit.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long DownloadBandwidth { get; set; }

    /// <summary>When the tenant's lease ends; never when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DateTime? LeaseExpiration { get; set; }

    /// <summary>Free text for administrators.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string Description { get; set; } = string.Empty;

    /// <summary>Creates the tenant disabled, so it cannot connect until enabled.</summary>
    [Parameter]
    public SwitchParameter Disabled { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var byCredential = ParameterSetName == ParameterSets.ByCredential;
        var name = byCredential && !IsBound(nameof(Name)) ? Credential.UserName : Name;
        var tenant = new Tenant
        {
            Name = name,
            Description = Description,
            Enabled = !Disabled,
            LeaseExpiration = LeaseExpiration,
            Pools = Pool,
            GatewayFailover = GatewayFailover,
            MaxConcurrentSessions = MaxConcurrentSessions,
            UploadBandwidth = UploadBandwidth,
            DownloadBandwidth = DownloadBandwidth,
        };
        if (ShouldProcess(name, "Create tenant"))
        {
            Try(name, () =>
            {
                var added = Store.AddTenant(tenant, PasswordPolicy.Current().HashNew(byCredential ? Credential.Password : Password));
                WriteNotes(ConfigurationReview.AfterTenantChange(Store, added, "created"));
                WriteObject(added);
            });
        }
    }
}
