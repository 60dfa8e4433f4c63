using System.Net;
using CloudGateway.Metrics;

namespace CloudGateway.Tests.Metrics;

public sealed class MetricsListenerOptionsTests
{
    [Theory]
    [InlineData("9180", "127.0.0.1:9180")]
    [InlineData("0", "127.0.0.1:0")]
    [InlineData("0.0.0.0:9180", "0.0.0.0:9180")]
    [InlineData("10.1.2.3:80", "10.1.2.3:80")]
    [InlineData("[::1]:9180", "[::1]:9180")]
    public void ParseEndPoint_PortOrAddressAndPort_BindsLoopbackUnlessAnAddressIsWritten(string text, string expected) =>
        Assert.Equal(IPEndPoint.Parse(expected), MetricsListenerOptions.ParseEndPoint(text));

    [Theory]
    [InlineData("")]
    [InlineData("65536")]
    [InlineData("10.1.2.3")]
    [InlineData("::1")]
    [InlineData("::1:9180")]
    [InlineData("localhost:9180")]
    [InlineData("10.1.2.3:-1")]
    public void ParseEndPoint_NoPortOrNoAddress_ReturnsNull(string text) =>
        Assert.Null(MetricsListenerOptions.ParseEndPoint(text));

    [Fact]
    public void ToString_WithToken_NeverShowsIt()
    {
        var options = new MetricsListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 9180), BearerToken = "very-secret-token" };

        Assert.DoesNotContain("very-secret-token", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-token", new CloudGateway.Relay.RelayHostOptions { MetricsListener = options }.ToString(), StringComparison.Ordinal);
    }
}
