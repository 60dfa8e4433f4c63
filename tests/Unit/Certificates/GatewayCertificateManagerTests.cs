using System.Net;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Certificates;
using CloudGateway.Model;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Certificates;

public sealed class GatewayCertificateManagerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly IConfigurationStore _store;

    public GatewayCertificateManagerTests()
    {
        _store = ConfigurationDatabase.Open(_folder.File("config.db"));
        _store.AddGateway(new Gateway { Name = "gw1", Address = "gw1.example.com" });
        _store.AddGateway(new Gateway { Name = "gw2", Address = "192.0.2.7", Port = 6181, InternalPort = 6181 });
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void Create_NoNames_CoversEveryGatewayAndIsStoredInTheDatabaseFile()
    {
        var info = new GatewayCertificateManager(_store).Create(new NewCertificateOptions(), force: false);

        Assert.Equal(["gw1.example.com"], info.DnsNames);
        Assert.Equal(["192.0.2.7"], info.IPAddresses);
        Assert.Empty(info.UncoveredGateways);
        Assert.InRange((info.NotAfter - DateTimeOffset.UtcNow).TotalDays, 364.9, 365.1);
        using var reopened = ConfigurationDatabase.Open(_folder.File("config.db"));
        var stored = reopened.GetGatewayCertificate();
        Assert.NotNull(stored);
        using var certificate = X509CertificateLoader.LoadPkcs12(stored, null);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(info.Thumbprint, certificate.GetCertHashString(HashAlgorithmName.SHA256));
        Assert.Equal(info, new GatewayCertificateManager(reopened).Describe() with { DnsNames = info.DnsNames, IPAddresses = info.IPAddresses, UncoveredGateways = info.UncoveredGateways });
    }

    [Fact]
    public void Create_GivenNames_ReportsGatewaysLeftUncovered()
    {
        var options = new NewCertificateOptions { DnsNames = ["*.example.com"], ValidityDays = 20 };

        var info = new GatewayCertificateManager(_store).Create(options, force: false);

        Assert.Equal(["gw2"], info.UncoveredGateways);
        Assert.True(info.ExpiresSoon);
        Assert.False(info.Expired);
    }

    [Fact]
    public void Create_CertificateExists_NeedsForceAndKeepsTheOldOne()
    {
        var manager = new GatewayCertificateManager(_store);
        var first = manager.Create(new NewCertificateOptions(), force: false);

        var error = Assert.Throws<GatewayException>(() => manager.Create(new NewCertificateOptions(), force: false));

        Assert.Equal(GatewayErrorCode.CertificateExists, error.Code);
        Assert.Equal(first.Thumbprint, manager.Describe().Thumbprint);
        var second = manager.Create(new NewCertificateOptions(), force: true);
        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
        Assert.Equal(second.Thumbprint, manager.Describe().Thumbprint);
    }

    [Fact]
    public void Create_InvalidRequest_ReportsEveryFieldAndStoresNothing()
    {
        var options = new NewCertificateOptions { DnsNames = ["bad name"], IPAddresses = ["1.2.3"], ValidityDays = 0 };

        var error = Assert.Throws<GatewayException>(() => new GatewayCertificateManager(_store).Create(options, force: true));

        Assert.Equal(["DnsName", "IPAddress", "ValidityDays"], error.Problems.Select(p => p.Field));
        Assert.Null(_store.GetGatewayCertificate());
    }

    [Fact]
    public void Create_NoNamesAndNoGateways_Refused()
    {
        using var empty = ConfigurationDatabase.Open(_folder.File("empty.db"));

        var error = Assert.Throws<GatewayException>(() => new GatewayCertificateManager(empty).Create(new NewCertificateOptions(), false));

        Assert.Equal("DnsName", error.Problems.Single().Field);
    }

    [Fact]
    public void Describe_NoCertificate_NotFound()
    {
        var error = Assert.Throws<GatewayException>(() => new GatewayCertificateManager(_store).Describe());

        Assert.Equal(GatewayErrorCode.NotFound, error.Code);
    }

    [Fact]
    public void Import_PasswordProtectedPfx_StoredWithoutPassword()
    {
        var path = _folder.File("gateway.pfx");
        using var original = CreateCertificate("CN=imported", X509KeyUsageFlags.DigitalSignature, "1.3.6.1.5.5.7.3.1", DateTimeOffset.UtcNow.AddDays(90));
        File.WriteAllBytes(path, original.Export(X509ContentType.Pkcs12, "s3cret"));

        var info = new GatewayCertificateManager(_store).Import(path, Secure("s3cret"), force: false);

        Assert.Equal("CN=imported", info.Subject);
        Assert.Equal(original.GetCertHashString(HashAlgorithmName.SHA256), info.Thumbprint);
        Assert.Equal(["gw1"], info.UncoveredGateways);
        using var stored = X509CertificateLoader.LoadPkcs12(_store.GetGatewayCertificate()!, null);
        Assert.True(stored.HasPrivateKey);
    }

    [Fact]
    public void Import_WrongPassword_CertificateErrorAndNothingStored()
    {
        var path = _folder.File("gateway.pfx");
        using var original = CreateCertificate("CN=imported", X509KeyUsageFlags.DigitalSignature, "1.3.6.1.5.5.7.3.1", DateTimeOffset.UtcNow.AddDays(90));
        File.WriteAllBytes(path, original.Export(X509ContentType.Pkcs12, "s3cret"));

        var error = Assert.Throws<GatewayException>(() => new GatewayCertificateManager(_store).Import(path, Secure("wrong"), force: false));

        Assert.Equal(GatewayErrorCode.CertificateError, error.Code);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.Null(_store.GetGatewayCertificate());
    }

    [Fact]
    public void Import_Unsuitable_Refused()
    {
        var manager = new GatewayCertificateManager(_store);
        using var clientOnly = CreateCertificate("CN=client", X509KeyUsageFlags.DigitalSignature, "1.3.6.1.5.5.7.3.2", DateTimeOffset.UtcNow.AddDays(90));
        using var expired = CreateCertificate("CN=old", X509KeyUsageFlags.DigitalSignature, "1.3.6.1.5.5.7.3.1", DateTimeOffset.UtcNow.AddMinutes(-1));
        using var publicOnly = X509CertificateLoader.LoadCertificate(clientOnly.RawData);

        Assert.Contains("server authentication", Assert.Throws<GatewayException>(() => manager.Import(clientOnly.Export(X509ContentType.Pkcs12), null, false)).Message);
        Assert.Contains("expired", Assert.Throws<GatewayException>(() => manager.Import(expired.Export(X509ContentType.Pkcs12), null, false)).Message);
        Assert.Contains("private key", Assert.Throws<GatewayException>(() => manager.Import(publicOnly.Export(X509ContentType.Pkcs12), null, false)).Message);
        Assert.Equal(GatewayErrorCode.NotFound, Assert.Throws<GatewayException>(() => manager.Import(_folder.File("missing.pfx"), null, false)).Code);
        Assert.Null(_store.GetGatewayCertificate());
    }

    [Fact]
    public void Import_CertificateExists_NeedsForce()
    {
        var manager = new GatewayCertificateManager(_store);
        manager.Create(new NewCertificateOptions(), force: false);
        using var replacement = CreateCertificate("CN=replacement", X509KeyUsageFlags.DigitalSignature, "1.3.6.1.5.5.7.3.1", DateTimeOffset.UtcNow.AddDays(90));
        var pfx = replacement.Export(X509ContentType.Pkcs12);

        Assert.Equal(GatewayErrorCode.CertificateExists, Assert.Throws<GatewayException>(() => manager.Import(pfx, null, false)).Code);
        Assert.Equal("CN=replacement", manager.Import(pfx, null, force: true).Subject);
    }

    private static X509Certificate2 CreateCertificate(string subject, X509KeyUsageFlags usage, string eku, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Parse("192.0.2.7"));
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(notAfter.AddDays(-365), notAfter);
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
