using System.Security;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Storage;

namespace CloudGateway.Certificates;

/// <summary>
/// Creates, imports and describes the one certificate every gateway of a configuration presents. The certificate
/// lives in the configuration database, so that each gateway server using it can load it; it is never exported.
/// </summary>
public sealed class GatewayCertificateManager
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";
    private readonly IConfigurationStore _store;
    private readonly TimeProvider _time;

    /// <summary>Works on the certificate of <paramref name="store"/>, reading the time from <paramref name="time"/>.</summary>
    public GatewayCertificateManager(IConfigurationStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Creates a self-signed certificate and stores it as the gateways' certificate. Without names in
    /// <paramref name="options"/> it covers the Address of every gateway. Replacing a certificate needs <paramref name="force"/>.
    /// </summary>
    public GatewayCertificateInfo Create(NewCertificateOptions options, bool force)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<ValidationProblem>();
        var names = CertificateNames.Parse(options, problems);
        if (options.ValidityDays is < 1 or > NewCertificateOptions.MaxValidityDays)
        {
            problems.Add(new ValidationProblem("ValidityDays", $"must be between 1 and {NewCertificateOptions.MaxValidityDays}, not {options.ValidityDays}."));
        }

        GatewayException.ThrowIfInvalid("The certificate request", null, problems);
        var gateways = _store.GetGateways();
        if (names.IsEmpty)
        {
            names = CertificateNames.FromAddresses(gateways.Select(gateway => gateway.Address));
        }

        GatewayException.ThrowIfInvalid("The certificate request", null, names.IsEmpty
            ? [new ValidationProblem("DnsName", "no DNS name or IP address was given and no gateway has an address to cover.")]
            : []);
        ThrowIfCertificateExists(force);

        var now = _time.GetUtcNow();
        using var certificate = SelfSignedCertificate.Create(names, options.ValidityDays, now);
        _store.SetGatewayCertificate(Pkcs12.Export([certificate]));
        return CertificateDescriber.Describe(certificate, gateways, now);
    }

    /// <summary>
    /// Reads a PFX file and stores its certificate (with its private key and any chain certificates) as the
    /// gateways' certificate. Replacing a certificate needs <paramref name="force"/>.
    /// </summary>
    public GatewayCertificateInfo Import(string path, SecureString? password, bool force)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] pfx;
        try
        {
            pfx = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var code = ex is FileNotFoundException or DirectoryNotFoundException ? GatewayErrorCode.NotFound : GatewayErrorCode.CertificateError;
            throw new GatewayException(code, $"The certificate file '{path}' could not be read: {ex.Message}", path, ex);
        }

        return Import(pfx, password, force, path);
    }

    /// <summary>Stores the certificate of PKCS#12 <paramref name="pfx"/> bytes, as <see cref="Import(string, SecureString?, bool)"/>.</summary>
    public GatewayCertificateInfo Import(byte[] pfx, SecureString? password, bool force, string source = "The certificate")
    {
        ArgumentNullException.ThrowIfNull(pfx);
        var (server, all) = Pkcs12.Load(pfx, password, source);
        try
        {
            var now = _time.GetUtcNow();
            ThrowIfUnsuitable(server, now, source);
            ThrowIfCertificateExists(force);
            _store.SetGatewayCertificate(Pkcs12.Export(all));
            return CertificateDescriber.Describe(server, _store.GetGateways(), now);
        }
        finally
        {
            Pkcs12.Dispose(all);
        }
    }

    /// <summary>Describes the stored certificate against the current gateways; NotFound when none is set.</summary>
    public GatewayCertificateInfo Describe()
    {
        var (server, all) = Pkcs12.Load(ReadStored(), null, "The stored gateway certificate");
        try
        {
            return CertificateDescriber.Describe(server, _store.GetGateways(), _time.GetUtcNow());
        }
        finally
        {
            Pkcs12.Dispose(all);
        }
    }

    private byte[] ReadStored() => _store.GetGatewayCertificate()
        ?? throw new GatewayException(GatewayErrorCode.NotFound, "No gateway certificate is set; create one with New-CloudGatewayCertificate or import one with Set-CloudGatewayCertificate.", "GatewayCertificate");

    private void ThrowIfCertificateExists(bool force)
    {
        if (!force && _store.GetGatewayCertificate() is not null)
        {
            throw new GatewayException(GatewayErrorCode.CertificateExists, "A gateway certificate is already set; use -Force to replace it.", "GatewayCertificate");
        }
    }

    private static void ThrowIfUnsuitable(X509Certificate2 certificate, DateTimeOffset now, string source)
    {
        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, $"{source} expired on {certificate.NotAfter.ToUniversalTime():u}.", source);
        }

        using var rsa = certificate.GetRSAPublicKey();
        using var ecdsa = certificate.GetECDsaPublicKey();
        if (rsa is null && ecdsa is null)
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, $"{source} has neither an RSA nor an ECDSA key; TLS servers need one of them.", source);
        }

        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages;
        if (usages is not null && usages.Count > 0 && !usages.Cast<System.Security.Cryptography.Oid>().Any(oid => oid.Value == ServerAuthenticationOid))
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, $"{source} is not meant for TLS servers: its extended key usage lacks server authentication.", source);
        }
    }
}
