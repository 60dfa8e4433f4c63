using System.Management.Automation;
using System.Net;
using CloudGateway.Client.Providers;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Changes a stored provider: its name, the gateway first contacted, the credential or the pinned thumbprint.</summary>
[Cmdlet(VerbsCommon.Set, "CloudProvider", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(CloudProvider))]
public sealed class SetCloudProviderCommand : CloudGatewayCmdlet
{
    private const string ByName = "ByName";
    private const string ByInputObject = "ByInputObject";

    /// <summary>The provider to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The provider to change, as Get-CloudProvider returns it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByInputObject, ValueFromPipeline = true)]
    [ValidateNotNull]
    public CloudProvider? InputObject { get; set; }

    /// <summary>A new name for the provider.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NewName { get; set; }

    /// <summary>A new DNS name or IP address of the gateway first contacted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Address { get; set; }

    /// <summary>A new port of the gateway first contacted.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>A new tenant name and password.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A new pinned SHA-256 thumbprint; an empty string removes the pin so the system trust store is used.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? CertificateThumbprint { get; set; }

    /// <summary>Writes the changed provider.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var name = InputObject?.Name ?? Name;
        if (!ShouldProcess(name, "Set cloud provider"))
        {
            return;
        }

        var change = new ProviderChange { NewName = NewName, Address = Address, Port = Port, CertificateThumbprint = CertificateThumbprint };
        var credential = Credential is null ? null : new NetworkCredential(Credential.UserName, Credential.Password);
        Try(name, () =>
        {
            var changed = TenantSession.Current.Providers.Set(name, change, credential);
            if (PassThru)
            {
                WriteObject(changed);
            }
        });
    }
}
