using System.Globalization;
using System.Management.Automation;
using CloudGateway.Certificates;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Describes the gateways' certificate, then the staged successor (with how many tenants already learned it) and the
/// previous one when they are set: SHA-256 thumbprint, subject, names and validity, with a warning when the active one
/// expires within 30 days and for each gateway whose Address it does not cover.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CloudGatewayCertificate")]
[OutputType(typeof(GatewayCertificateInfo))]
public sealed class GetCloudGatewayCertificateCommand : CloudGatewayCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try("GatewayCertificate", () =>
        {
            foreach (var info in new GatewayCertificateManager(Store).DescribeAll())
            {
                if (info.Role == CertificateSlot.Active)
                {
                    WarnAboutActive(info);
                }

                WriteObject(info);
            }
        });
    }

    private void WarnAboutActive(GatewayCertificateInfo info)
    {
        if (info.ExpiresSoon)
        {
            var when = info.NotAfter.ToString("u", CultureInfo.InvariantCulture);
            WriteWarning(info.Expired ? $"The gateway certificate expired on {when}." : $"The gateway certificate expires on {when}, within {GatewayCertificateInfo.ExpiryWarningDays} days.");
        }

        foreach (var gateway in info.UncoveredGateways)
        {
            WriteWarning($"The certificate does not cover the address of gateway '{gateway}'.");
        }
    }
}
