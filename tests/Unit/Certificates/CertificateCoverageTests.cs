using System.Net;
using CloudGateway.Certificates;

namespace CloudGateway.Tests.Certificates;

public sealed class CertificateCoverageTests
{
    [Theory]
    [InlineData("gw1.example.com", "gw1.example.com", true)]
    [InlineData("GW1.Example.COM", "gw1.example.com.", true)]
    [InlineData("*.example.com", "gw1.example.com", true)]
    [InlineData("*.example.com", "GW2.EXAMPLE.COM", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "a.b.example.com", false)]
    [InlineData("*.example.com", "gw1.example.org", false)]
    [InlineData("*.example.com", "gw1example.com", false)]
    [InlineData("*.com", "example.com", false)]
    [InlineData("gw*.example.com", "gw1.example.com", false)]
    [InlineData("gw1.example.com", "gw2.example.com", false)]
    [InlineData("", "gw1.example.com", false)]
    public void MatchesDnsName_Pattern_FollowsRfc6125(string pattern, string host, bool expected)
    {
        Assert.Equal(expected, CertificateCoverage.MatchesDnsName(pattern, host));
    }

    [Fact]
    public void Covers_IpAddress_MatchesOnlyIpEntries()
    {
        IPAddress[] ips = [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::1")];
        string[] dns = ["*.example.com", "192.0.2.11"];

        Assert.True(CertificateCoverage.Covers(dns, ips, "192.0.2.10"));
        Assert.True(CertificateCoverage.Covers(dns, ips, "2001:DB8:0::1"));
        Assert.True(CertificateCoverage.Covers(dns, ips, "[2001:db8::1]"));
        Assert.False(CertificateCoverage.Covers(dns, ips, "192.0.2.11"));
        Assert.False(CertificateCoverage.Covers(dns, ips, "2001:db8::2"));
    }

    [Fact]
    public void Covers_DnsAddress_IgnoresIpEntries()
    {
        Assert.True(CertificateCoverage.Covers(["*.example.com"], [], "gw1.example.com"));
        Assert.False(CertificateCoverage.Covers([], [IPAddress.Loopback], "localhost"));
    }
}
