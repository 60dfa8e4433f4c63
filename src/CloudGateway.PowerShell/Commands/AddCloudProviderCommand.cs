using System.Management.Automation;
using System.Net;
using CloudGateway.Client.Providers;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Adds a service provider this machine connects to as a tenant: connects to the given gateway, checks its
/// certificate before sending the credential, and stores the provider with the gateway list it answered.
/// </summary>
[Cmdlet(VerbsCommon.Add, "CloudProvider", SupportsShouldProcess = true)]
[OutputType(typeof(CloudProvider))]
public sealed class AddCloudProviderCommand : CloudGatewayCmdlet
{
    /// <summary>The DNS name or IP address of any of the provider's gateways.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = string.Empty;

    /// <summary>The gateway's port; 6180 unless the provider says otherwise.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = Model.Gateway.DefaultPort;

    /// <summary>The tenant name and password the provider gave.</summary>
    [Parameter(Mandatory = true)]
    [Credential]
    [ValidateNotNull]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>The SHA-256 thumbprint of the gateways' certificate, to trust it without the system trust store.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? CertificateThumbprint { get; set; }

    /// <summary>The provider's name on this machine; the address when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var name = Name ?? Address;
        if (!ShouldProcess(name, $"Add cloud provider at {Address}:{Port}"))
        {
            return;
        }

        var registration = new ProviderRegistration { Name = Name, Address = Address, Port = Port, CertificateThumbprint = CertificateThumbprint };
        var credential = new NetworkCredential(Credential.UserName, Credential.Password);
        Try(name, () => WriteObject(TenantSession.Run(t => TenantSession.Current.Providers.AddAsync(registration, credential, t), CancellationToken)));
    }
}
