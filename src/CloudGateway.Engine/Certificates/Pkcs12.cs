using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudGateway.Certificates;

/// <summary>Reads and writes the PKCS#12 form the configuration database keeps the certificate in.</summary>
internal static class Pkcs12
{
    /// <summary>
    /// Loads every certificate of a PKCS#12 blob and returns the one with a private key (the server certificate)
    /// together with the others (its chain).
    /// </summary>
    public static (X509Certificate2 Server, X509Certificate2Collection All) Load(byte[] pkcs12, SecureString? password, string source)
    {
        var all = new X509Certificate2Collection();
        try
        {
            if (password is null)
            {
                all.Import(pkcs12, (string?)null, KeyFlags);
            }
            else
            {
                all.Import(pkcs12, SecureStringText(password), KeyFlags);
            }
        }
        catch (CryptographicException ex)
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, $"{source} could not be read as PKCS#12: the password is wrong or the data is not a PFX file.", source, ex);
        }

        var server = all.FirstOrDefault(certificate => certificate.HasPrivateKey);
        if (server is null)
        {
            Dispose(all);
            throw new GatewayException(GatewayErrorCode.CertificateError, $"{source} holds no certificate with a private key; a gateway cannot present it.", source);
        }

        return (server, all);
    }

    /// <summary>The SHA-256 thumbprint (64 upper-case hex digits) of the server certificate of a PKCS#12 blob without a password.</summary>
    public static string ThumbprintOf(byte[] pkcs12, string source)
    {
        var (server, all) = Load(pkcs12, null, source);
        try
        {
            return server.GetCertHashString(HashAlgorithmName.SHA256);
        }
        finally
        {
            Dispose(all);
        }
    }

    /// <summary>Exports the certificates, private key included, as PKCS#12 without a password.</summary>
    public static byte[] Export(X509Certificate2Collection certificates) =>
        certificates.Export(X509ContentType.Pkcs12) ?? throw new GatewayException(GatewayErrorCode.CertificateError, "The certificate could not be exported.");

    /// <summary>Disposes every certificate of a collection.</summary>
    public static void Dispose(X509Certificate2Collection certificates)
    {
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }
    }

    // Exportable so that an imported file can be stored again; ephemeral so that no key file is left behind
    // (macOS has no ephemeral key sets).
    private static X509KeyStorageFlags KeyFlags => OperatingSystem.IsMacOS()
        ? X509KeyStorageFlags.Exportable
        : X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet;

    private static string SecureStringText(SecureString password) => new System.Net.NetworkCredential(string.Empty, password).Password;
}
