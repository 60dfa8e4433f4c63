using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudGateway.Tests.Client;

/// <summary>Self-signed ECDSA certificates for loopback TLS servers in tests.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> Shared = new(() => Create("gateway.test"));

    /// <summary>One certificate shared by every fake gateway of a test run (as the SP's gateways share one).</summary>
    public static X509Certificate2 Gateway => Shared.Value;

    public static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public static X509Certificate2 Create(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
