using System.Globalization;
using System.Management.Automation;
using CloudGateway.Certificates;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Describes the gateways' certificate: SHA-256 thumbprint, subject, names and validity, with a warning when it
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
            var info = new GatewayCertificateManager(Store).Describe();
            if (info.ExpiresSoon)
            {
                var when = info.NotAfter.ToString("u", CultureInfo.InvariantCulture);
                WriteWarning(info.Expired ? $"The gateway certificate expired on {when}." : $"The gateway certificate expires on {when}, within {GatewayCertificateInfo.ExpiryWarningDays} days.");
            }

            foreach (var gateway in info.UncoveredGateways)
            {
                WriteWarning($"The certificate does not cover the address of gateway '{gateway}'.");
            }

            WriteObject(info);
        });
    }
}
