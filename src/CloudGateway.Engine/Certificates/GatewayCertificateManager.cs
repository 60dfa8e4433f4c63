using System.Security;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Storage;

namespace CloudGateway.Certificates;

/// <summary>
/// Creates, imports, rotates and describes the one certificate every gateway of a configuration presents, and the
/// successor staged beside it. The certificates live in the configuration database, so that each gateway server using
/// it can load them; they are never exported.
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
    /// Creates a self-signed certificate and stores it as the gateways' certificate, or as the staged successor when
    /// <paramref name="slot"/> is Next. Without names in <paramref name="options"/> it covers the Address of every
    /// gateway. Replacing a certificate of the slot needs <paramref name="force"/>.
    /// </summary>
    public GatewayCertificateInfo Create(NewCertificateOptions options, bool force, CertificateSlot slot = CertificateSlot.Active)
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
        ThrowIfCertificateExists(force, slot);

        var now = _time.GetUtcNow();
        using var certificate = SelfSignedCertificate.Create(names, options.ValidityDays, now);
        _store.SetGatewayCertificate(Pkcs12.Export([certificate]), slot);
        return CertificateDescriber.Describe(certificate, gateways, now) with { Role = slot };
    }

    /// <summary>
    /// Reads a PFX file and stores its certificate (with its private key and any chain certificates) as the
    /// gateways' certificate, or as the staged successor when <paramref name="slot"/> is Next. Replacing a certificate
    /// of the slot needs <paramref name="force"/>.
    /// </summary>
    public GatewayCertificateInfo Import(string path, SecureString? password, bool force, CertificateSlot slot = CertificateSlot.Active)
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

        return Import(pfx, password, force, path, slot);
    }

    /// <summary>Stores the certificate of PKCS#12 <paramref name="pfx"/> bytes, as <see cref="Import(string, SecureString?, bool, CertificateSlot)"/>.</summary>
    public GatewayCertificateInfo Import(byte[] pfx, SecureString? password, bool force, string source = "The certificate", CertificateSlot slot = CertificateSlot.Active)
    {
        ArgumentNullException.ThrowIfNull(pfx);
        var (server, all) = Pkcs12.Load(pfx, password, source);
        try
        {
            var now = _time.GetUtcNow();
            ThrowIfUnsuitable(server, now, source);
            ThrowIfCertificateExists(force, slot);
            _store.SetGatewayCertificate(Pkcs12.Export(all), slot);
            return CertificateDescriber.Describe(server, _store.GetGateways(), now) with { Role = slot };
        }
        finally
        {
            Pkcs12.Dispose(all);
        }
    }

    /// <summary>Describes the stored certificate against the current gateways; NotFound when none is set.</summary>
    public GatewayCertificateInfo Describe() => Describe(ReadStored(), CertificateSlot.Active, _store.GetGateways());

    /// <summary>
    /// Describes the active certificate, then the staged successor (with how many tenants already learned it) and the
    /// previous one when they are set; NotFound when no certificate is set.
    /// </summary>
    public IReadOnlyList<GatewayCertificateInfo> DescribeAll()
    {
        var gateways = _store.GetGateways();
        var described = new List<GatewayCertificateInfo> { Describe(ReadStored(), CertificateSlot.Active, gateways) };
        if (_store.GetGatewayCertificate(CertificateSlot.Next) is { } next)
        {
            described.Add(Describe(next, CertificateSlot.Next, gateways) with
            {
                TenantsLearned = _store.GetCertificateState().TenantsLearnedNext,
                TenantCount = _store.GetTenants().Count,
            });
        }

        if (_store.GetGatewayCertificate(CertificateSlot.Previous) is { } previous)
        {
            described.Add(Describe(previous, CertificateSlot.Previous, gateways));
        }

        return described;
    }

    /// <summary>
    /// Makes the staged successor the certificate every gateway presents (running relays pick it up with the next
    /// configuration poll) and keeps the replaced one as Previous; with <paramref name="rollback"/>, makes Previous
    /// active again. Returns the active certificate after the switch; after a forward switch, with how many tenants had
    /// learned it (the others fail until they pin it).
    /// </summary>
    public GatewayCertificateInfo Switch(bool rollback)
    {
        var state = _store.SwitchGatewayCertificate(rollback);
        var info = Describe();
        return rollback ? info : info with
        {
            TenantsLearned = state.LearnedByTenant.Values.Count(t => t == info.Thumbprint),
            TenantCount = _store.GetTenants().Count,
        };
    }

    private GatewayCertificateInfo Describe(byte[] pkcs12, CertificateSlot slot, IReadOnlyList<Model.Gateway> gateways)
    {
        var (server, all) = Pkcs12.Load(pkcs12, null, "The stored gateway certificate");
        try
        {
            return CertificateDescriber.Describe(server, gateways, _time.GetUtcNow()) with { Role = slot };
        }
        finally
        {
            Pkcs12.Dispose(all);
        }
    }

    private byte[] ReadStored() => _store.GetGatewayCertificate()
        ?? throw new GatewayException(GatewayErrorCode.NotFound, "No gateway certificate is set; create one with New-CloudGatewayCertificate or import one with Set-CloudGatewayCertificate.", "GatewayCertificate");

    private void ThrowIfCertificateExists(bool force, CertificateSlot slot)
    {
        if (!force && _store.GetGatewayCertificate(slot) is not null)
        {
            throw new GatewayException(GatewayErrorCode.CertificateExists, slot == CertificateSlot.Next
                ? "A successor certificate is already staged; use -Force to replace it."
                : "A gateway certificate is already set; use -Force to replace it, or -Next to stage a successor that tenants learn before it is used.", "GatewayCertificate");
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
