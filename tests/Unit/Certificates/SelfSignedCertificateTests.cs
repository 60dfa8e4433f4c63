using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Certificates;
using CloudGateway.Model;

namespace CloudGateway.Tests.Certificates;

public sealed class SelfSignedCertificateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_Names_EcdsaP256ServerCertificateWithThoseNames()
    {
        var names = new CertificateNames(["gw1.example.com", "*.pool.example.com"], [IPAddress.Parse("192.0.2.1"), IPAddress.IPv6Loopback]);

        using var certificate = SelfSignedCertificate.Create(names, 365, Now);

        using var key = certificate.GetECDsaPrivateKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);
        Assert.Equal(Now.AddDays(365).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.True(certificate.NotBefore.ToUniversalTime() < Now.UtcDateTime);
        Assert.Equal("CN=gw1.example.com, O=CloudGateway", certificate.Subject);
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages;
        Assert.Contains(usages.Cast<Oid>(), oid => oid.Value == "1.3.6.1.5.5.7.3.1");
        var (dns, ips) = CertificateDescriber.ReadNames(certificate);
        Assert.Equal(["gw1.example.com", "*.pool.example.com"], dns);
        Assert.Equal([IPAddress.Parse("192.0.2.1"), IPAddress.IPv6Loopback], ips);
    }

    [Fact]
    public void Create_OnlyIpAddresses_SubjectIsFirstAddress()
    {
        using var certificate = SelfSignedCertificate.Create(new CertificateNames([], [IPAddress.Loopback]), 1, Now);

        Assert.Equal("CN=127.0.0.1, O=CloudGateway", certificate.Subject);
    }

    [Fact]
    public void Describe_GatewaysAndDates_ReportsThumbprintCoverageAndExpiry()
    {
        using var certificate = SelfSignedCertificate.Create(new CertificateNames(["*.example.com"], [IPAddress.Parse("192.0.2.1")]), 40, Now);
        Gateway[] gateways =
        [
            new() { Name = "gw1", Address = "gw1.example.com" },
            new() { Name = "gw2", Address = "192.0.2.1" },
            new() { Name = "gw3", Address = "192.0.2.2" },
            new() { Name = "gw4", Address = "a.b.example.com" },
        ];

        var fresh = CertificateDescriber.Describe(certificate, gateways, Now);
        var late = CertificateDescriber.Describe(certificate, gateways, Now.AddDays(10));
        var expired = CertificateDescriber.Describe(certificate, gateways, Now.AddDays(41));

        Assert.Matches("^[0-9A-F]{64}$", fresh.Thumbprint);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.RawData)), fresh.Thumbprint);
        Assert.Equal(["gw3", "gw4"], fresh.UncoveredGateways);
        Assert.Equal(["192.0.2.1"], fresh.IPAddresses);
        Assert.Equal(["*.example.com"], fresh.DnsNames);
        Assert.False(fresh.ExpiresSoon);
        Assert.True(late.ExpiresSoon);
        Assert.False(late.Expired);
        Assert.True(expired.ExpiresSoon);
        Assert.True(expired.Expired);
    }

    [Fact]
    public void Describe_ExactlyThirtyDaysLeft_ExpiresSoon()
    {
        using var certificate = SelfSignedCertificate.Create(new CertificateNames(["gw.example.com"], []), 60, Now);

        Assert.False(CertificateDescriber.Describe(certificate, [], Now.AddDays(30).AddSeconds(-1)).ExpiresSoon);
        Assert.True(CertificateDescriber.Describe(certificate, [], Now.AddDays(30)).ExpiresSoon);
    }
}
