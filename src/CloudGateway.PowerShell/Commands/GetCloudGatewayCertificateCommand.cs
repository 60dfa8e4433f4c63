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
            var certificates = new GatewayCertificateManager(Store).DescribeAll();
            var next = certificates.FirstOrDefault(c => c.Role == CertificateSlot.Next);
            foreach (var info in certificates)
            {
                if (info.Role == CertificateSlot.Active)
                {
                    WarnAboutActive(info, next);
                }

                WriteObject(info);
            }
        });
    }

    private void WarnAboutActive(GatewayCertificateInfo info, GatewayCertificateInfo? next)
    {
        if (info.ExpiresSoon)
        {
            var when = info.NotAfter.ToString("u", CultureInfo.InvariantCulture);
            var remedy = next is null
                ? string.Empty
                : $" Its successor {next.Thumbprint} is staged ({next.TenantsLearned} of {next.TenantCount} tenant(s) learned it): switch with Switch-CloudGatewayCertificate.";
            WriteWarning((info.Expired ? $"The gateway certificate expired on {when}." : $"The gateway certificate expires on {when}, within {GatewayCertificateInfo.ExpiryWarningDays} days.") + remedy);
        }

        foreach (var gateway in info.UncoveredGateways)
        {
            WriteWarning($"The certificate does not cover the address of gateway '{gateway}'.");
        }
    }
}
