using System.Management.Automation;
using System.Security;
using CloudGateway.Certificates;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Imports a PFX file as the certificate every gateway of this configuration presents, or with -Next as its staged successor.</summary>
[Cmdlet(VerbsCommon.Set, "CloudGatewayCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GatewayCertificateInfo))]
public sealed class SetCloudGatewayCertificateCommand : CloudGatewayCmdlet
{
    /// <summary>The PFX (PKCS#12) file holding the certificate and its private key.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The PFX file's password, when it has one.</summary>
    [Parameter]
    public SecureString? Password { get; set; }

    /// <summary>Replaces a certificate that is already set (with -Next, a successor already staged).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Stages the certificate as the successor, announced to tenants until Switch-CloudGatewayCertificate makes it active.</summary>
    [Parameter]
    public SwitchParameter Next { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(file, Next ? "Stage a successor to the gateways' certificate" : "Set the gateways' certificate"))
        {
            return;
        }

        Try(file, () =>
        {
            var info = new GatewayCertificateManager(Store).Import(file, Password, Force, Next ? CertificateSlot.Next : CertificateSlot.Active);
            foreach (var gateway in info.UncoveredGateways)
            {
                WriteWarning($"The certificate does not cover the address of gateway '{gateway}'; tenants connecting to it will fail to validate the certificate.");
            }

            WriteObject(info);
        });
    }
}
