using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Model;

namespace CloudGateway.Certificates;

/// <summary>Reads names, dates and coverage out of a certificate.</summary>
internal static class CertificateDescriber
{
    private const string SubjectAlternativeNameOid = "2.5.29.17";

    /// <summary>Describes <paramref name="certificate"/> as of <paramref name="now"/> against the configured gateways.</summary>
    public static GatewayCertificateInfo Describe(X509Certificate2 certificate, IEnumerable<Gateway> gateways, DateTimeOffset now)
    {
        var (dnsNames, ipAddresses) = ReadNames(certificate);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var uncovered = gateways
            .Where(gateway => !CertificateCoverage.Covers(dnsNames, ipAddresses, gateway.Address))
            .Select(gateway => gateway.Name)
            .ToList();

        return new GatewayCertificateInfo
        {
            Thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256),
            Subject = certificate.Subject,
            DnsNames = dnsNames,
            IPAddresses = ipAddresses.Select(ip => ip.ToString()).ToList(),
            NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = notAfter,
            Expired = notAfter <= now,
            ExpiresSoon = notAfter - now <= TimeSpan.FromDays(GatewayCertificateInfo.ExpiryWarningDays),
            UncoveredGateways = uncovered,
        };
    }

    /// <summary>
    /// The subject alternative names; when the certificate has none, its common name counts as its one DNS name,
    /// as TLS clients do for such old certificates.
    /// </summary>
    public static (IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IPAddresses) ReadNames(X509Certificate2 certificate)
    {
        var raw = certificate.Extensions.Cast<X509Extension>().FirstOrDefault(e => e.Oid?.Value == SubjectAlternativeNameOid);
        if (raw is null)
        {
            var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            return (string.IsNullOrEmpty(commonName) ? [] : [commonName], []);
        }

        try
        {
            var extension = new X509SubjectAlternativeNameExtension(raw.RawData, raw.Critical);
            return (extension.EnumerateDnsNames().ToList(), extension.EnumerateIPAddresses().ToList());
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException)
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, "The certificate's subject alternative name extension is malformed.", certificate.Subject, ex);
        }
    }
}
