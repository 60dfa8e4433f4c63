using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudGateway.Tests.Relay;

/// <summary>Self-signed ECDSA P-256 certificates for TLS tests.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<byte[]> Pkcs12 = new(CreatePkcs12);
    private static readonly Lazy<string> Hash = new(() => LoadGateway().GetCertHashString());

    /// <summary>One certificate for the whole test run, as PKCS#12 bytes without a password.</summary>
    public static byte[] GatewayPkcs12 => Pkcs12.Value;

    /// <summary>The SHA-1 hash clients pin the gateway certificate by.</summary>
    public static string Thumbprint => Hash.Value;

    public static X509Certificate2 LoadGateway() =>
        X509CertificateLoader.LoadPkcs12(GatewayPkcs12, null, X509KeyStorageFlags.EphemeralKeySet);

    private static byte[] CreatePkcs12()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=gateway.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("gateway.test");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return certificate.Export(X509ContentType.Pkcs12);
    }
}
