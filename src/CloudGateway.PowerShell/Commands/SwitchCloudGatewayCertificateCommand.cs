using System.Management.Automation;
using CloudGateway.Certificates;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Makes the staged successor the certificate every gateway of this configuration presents (running relays follow
/// within their configuration poll) and keeps the replaced one as previous; -Previous rolls back to it.
/// </summary>
[Cmdlet(VerbsCommon.Switch, "CloudGatewayCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GatewayCertificateInfo))]
public sealed class SwitchCloudGatewayCertificateCommand : CloudGatewayCmdlet
{
    /// <summary>Makes the previous certificate active again; the one it replaces becomes the staged successor.</summary>
    [Parameter]
    public SwitchParameter Previous { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var action = Previous ? "Roll back to the previous certificate" : "Make the staged successor the active certificate";
        if (!ShouldProcess("the gateways' certificate", action))
        {
            return;
        }

        Try("GatewayCertificate", () =>
        {
            var info = new GatewayCertificateManager(Store).Switch(Previous);
            if (info.TenantsLearned < info.TenantCount)
            {
                WriteWarning($"{info.TenantCount - info.TenantsLearned} of {info.TenantCount} tenant(s) never connected while the successor was announced: they refuse {info.Thumbprint} until they pin it (Set-CloudProvider -CertificateThumbprint on their side), or until Switch-CloudGatewayCertificate -Previous.");
            }

            WriteObject(info);
        });
    }
}
