using System.Net;
using CloudGateway.Certificates;

namespace CloudGateway.Tests.Certificates;

public sealed class CertificateNamesTests
{
    [Fact]
    public void Parse_BadEntries_ReportsEveryOne()
    {
        var problems = new List<ValidationProblem>();
        var options = new NewCertificateOptions
        {
            DnsNames = ["good.example.com", "bad_name.example.com", "-x.example.com", "*.com", "a.*.example.com", "10.0.0.1", "*.Example.com."],
            IPAddresses = ["192.0.2.1", "999.1.1.1", "fe80::1%eth0", "::1"],
        };

        var names = CertificateNames.Parse(options, problems);

        Assert.Equal(["good.example.com", "*.example.com"], names.DnsNames);
        Assert.Equal([IPAddress.Parse("192.0.2.1"), IPAddress.IPv6Loopback], names.IPAddresses);
        Assert.Equal(5, problems.Count(p => p.Field == "DnsName"));
        Assert.Equal(2, problems.Count(p => p.Field == "IPAddress"));
        Assert.Contains(problems, p => p.Message.Contains("bad_name.example.com"));
    }

    [Fact]
    public void FromAddresses_MixedAddresses_SplitsAndDeduplicates()
    {
        var names = CertificateNames.FromAddresses(["gw1.example.com", "192.0.2.1", "GW1.example.com", "::1", "192.0.2.1"]);

        Assert.Equal(["gw1.example.com"], names.DnsNames);
        Assert.Equal([IPAddress.Parse("192.0.2.1"), IPAddress.IPv6Loopback], names.IPAddresses);
    }
}
