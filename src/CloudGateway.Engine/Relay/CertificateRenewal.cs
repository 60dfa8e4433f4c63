using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Certificates;
using CloudGateway.Storage;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Relay;

/// <summary>
/// A relay host's watch over the expiry of the certificate it presents. Within <see cref="RenewalDays"/> days of expiry
/// a certificate New-CloudGatewayCertificate made (self-signed, organization CloudGateway) gets a successor with the same
/// names and validity (at least twice the renewal window, so a short-lived one does not renew itself over and over),
/// staged once across every server; any other certificate (from a PFX) is only warned about. With an auto-switch limit
/// the staged successor is made active that many days before expiry, once this host has seen it staged for the rest of
/// the renewal window (the tenants' time to learn it), or on the last day before expiry whatever it saw.
/// </summary>
internal sealed class CertificateRenewal(IConfigurationStore store, TimeProvider time, ILogger logger, int? autoSwitchDays)
{
    /// <summary>How many days before expiry a self-signed certificate gets its successor.</summary>
    public const int RenewalDays = GatewayCertificateInfo.ExpiryWarningDays;

    // A check writes the store only when something is due; a minute between checks keeps a failing store from flooding the log.
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);
    private DateTimeOffset _nextCheck = DateTimeOffset.MinValue;
    private string? _warned;
    private (string Thumbprint, DateTimeOffset Since)? _successorSeen;

    /// <summary>Stages or switches as due for <paramref name="presented"/>, the certificate the host presents, given what the configuration holds.</summary>
    public void Check(X509Certificate2 presented, CertificateState state)
    {
        var now = time.GetUtcNow();
        var notAfter = new DateTimeOffset(presented.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (now < _nextCheck || notAfter - now > TimeSpan.FromDays(RenewalDays))
        {
            return;
        }

        // Until the host follows a switch made elsewhere, what it presents is not the configuration's to renew.
        var thumbprint = presented.GetCertHashString(HashAlgorithmName.SHA256);
        if (state.Active is { } active && active != thumbprint)
        {
            return;
        }

        _nextCheck = now + CheckInterval;
        if (state.Next is { } next && _successorSeen?.Thumbprint != next)
        {
            _successorSeen = (next, now);
        }

        try
        {
            if (state.Next is null)
            {
                Renew(presented, thumbprint, notAfter, now);
            }
            else if (autoSwitchDays is { } days && notAfter - now <= TimeSpan.FromDays(days) && LearningTimeOver(now, notAfter, days))
            {
                var after = store.SwitchGatewayCertificate(rollback: false, expectedActive: thumbprint);
                if (after.Active != thumbprint)
                {
                    RelayLog.CertificateSwitchedAutomatically(logger, thumbprint, notAfter, days, after.Active!, after.LearnedByTenant.Values.Count(t => t == after.Active), store.GetTenants().Count);
                }
            }
        }
        catch (GatewayException ex)
        {
            RelayLog.CertificateRenewalFailed(logger, ex, thumbprint);
        }
    }

    private void Renew(X509Certificate2 presented, string thumbprint, DateTimeOffset notAfter, DateTimeOffset now)
    {
        if (!MadeByCloudGateway(presented))
        {
            if (_warned != thumbprint)
            {
                _warned = thumbprint;
                RelayLog.ImportedCertificateExpiring(logger, thumbprint, notAfter);
            }

            return;
        }

        var (dnsNames, ipAddresses) = CertificateDescriber.ReadNames(presented);
        var validityDays = (int)Math.Clamp(Math.Round((presented.NotAfter - presented.NotBefore).TotalDays), 2 * RenewalDays, NewCertificateOptions.MaxValidityDays);
        using var successor = SelfSignedCertificate.Create(new CertificateNames(dnsNames, ipAddresses), validityDays, now);
        if (store.StageGatewayCertificateRenewal(Pkcs12.Export([successor]), thumbprint))
        {
            var staged = successor.GetCertHashString(HashAlgorithmName.SHA256);
            _successorSeen = (staged, now);
            RelayLog.CertificateRenewalStaged(logger, thumbprint, notAfter, staged);
        }
    }

    // What New-CloudGatewayCertificate makes: issued by itself, in the organization CloudGateway.
    private static bool MadeByCloudGateway(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)
        && certificate.SubjectName.EnumerateRelativeDistinguishedNames().Any(n => n.GetSingleElementType().Value == "2.5.4.10" && n.GetSingleElementValue() == "CloudGateway");

    // Tenants learn a successor only while it is staged: switch after the window they were promised, unless the
    // certificate is about to expire anyway (then only the tenants that learned it keep working, which beats none).
    private bool LearningTimeOver(DateTimeOffset now, DateTimeOffset notAfter, int days) =>
        _successorSeen is { } seen && now - seen.Since >= TimeSpan.FromDays(RenewalDays - days) || notAfter - now <= TimeSpan.FromDays(1);
}
