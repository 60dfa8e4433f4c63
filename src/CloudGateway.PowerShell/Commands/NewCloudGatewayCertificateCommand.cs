using System.Management.Automation;
using CloudGateway.Certificates;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Creates a self-signed ECDSA P-256 certificate covering the gateways' addresses (or the names given) and makes it
/// the certificate every gateway of this configuration presents, or with -Next stages it as the successor.
/// </summary>
[Cmdlet(VerbsCommon.New, "CloudGatewayCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GatewayCertificateInfo))]
public sealed class NewCloudGatewayCertificateCommand : CloudGatewayCmdlet
{
    /// <summary>DNS names to cover (wildcards such as *.gw.example.com allowed); by default the gateways' addresses.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] DnsName { get; set; } = [];

    /// <summary>IP addresses to cover; by default the gateways' addresses.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] IPAddress { get; set; } = [];

    /// <summary>How many days the certificate is valid.</summary>
    [Parameter]
    [ValidateRange(1, NewCertificateOptions.MaxValidityDays)]
    public int ValidityDays { get; set; } = NewCertificateOptions.DefaultValidityDays;

    /// <summary>Replaces a certificate that is already set (with -Next, a successor already staged).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Stages the certificate as the successor, announced to tenants until Switch-CloudGatewayCertificate makes it active.</summary>
    [Parameter]
    public SwitchParameter Next { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = DnsName.Concat(IPAddress).ToList();
        var target = names.Count > 0 ? string.Join(", ", names) : "the addresses of all gateways";
        if (!ShouldProcess(target, Next ? "Create a self-signed successor to the gateways' certificate" : "Create the gateways' self-signed certificate"))
        {
            return;
        }

        var options = new NewCertificateOptions { DnsNames = DnsName, IPAddresses = IPAddress, ValidityDays = ValidityDays };
        Try("GatewayCertificate", () => WriteObject(new GatewayCertificateManager(Store).Create(options, Force, Next ? CertificateSlot.Next : CertificateSlot.Active)));
    }
}
