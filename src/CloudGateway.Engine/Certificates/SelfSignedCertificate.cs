using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudGateway.Certificates;

/// <summary>Makes the self-signed ECDSA P-256 server certificate the gateways present to tenants.</summary>
internal static class SelfSignedCertificate
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    // Backdated a little so that a tenant whose clock runs slightly behind still accepts a fresh certificate.
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    /// <summary>Creates a certificate for <paramref name="names"/>, valid from about now for <paramref name="validityDays"/> days.</summary>
    public static X509Certificate2 Create(CertificateNames names, int validityDays, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(SubjectFor(names), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthenticationOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(SubjectAlternativeNames(names));

        var notBefore = now - ClockSkewAllowance;
        return request.CreateSelfSigned(notBefore, now.AddDays(validityDays));
    }

    private static X500DistinguishedName SubjectFor(CertificateNames names)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(names.DnsNames.Count > 0 ? names.DnsNames[0] : names.IPAddresses[0].ToString());
        builder.AddOrganizationName("CloudGateway");
        return builder.Build();
    }

    private static X509Extension SubjectAlternativeNames(CertificateNames names)
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var dnsName in names.DnsNames)
        {
            builder.AddDnsName(dnsName);
        }

        foreach (var ipAddress in names.IPAddresses)
        {
            builder.AddIpAddress(ipAddress);
        }

        return builder.Build(critical: false);
    }
}
