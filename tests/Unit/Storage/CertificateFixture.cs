using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudGateway.Tests.Storage;

/// <summary>A real PKCS#12 with a private key, as the stores keep the gateways' certificate.</summary>
internal static class CertificateFixture
{
    public static byte[] NewPfx()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=gw.example.net", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return certificate.Export(X509ContentType.Pkcs12);
    }

    /// <summary>Whether <paramref name="path"/> (read once no connection to it is open) contains <paramref name="bytes"/>.</summary>
    public static bool FileContains(string path, byte[] bytes) =>
        File.Exists(path) && File.ReadAllBytes(path).AsSpan().IndexOf(bytes) >= 0;
}
