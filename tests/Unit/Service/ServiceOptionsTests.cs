using System.Net;
using CloudGateway.Service;

namespace CloudGateway.Tests.Service;

public sealed class ServiceOptionsTests
{
    [Fact]
    public void Parse_EveryOption_SetsRelayOptions()
    {
        var options = ServiceOptions.Parse(
        [
            "--database", "relative.db", "--gateway", "gw1", "--gateway", "gw2", "--server-name", "edge-7",
            "--handshake-timeout", "2.5", "--idle-timeout", "00:05:00", "--drain-timeout", "45",
            "--max-connections-per-gateway", "100", "--listen-address", "127.0.0.1", "--listen-port", "0", "--log-format", "simple",
        ]);

        Assert.Equal(Path.GetFullPath("relative.db"), options.DatabasePath);
        Assert.Equal(["gw1", "gw2"], options.Relay.Gateways);
        Assert.Equal("edge-7", options.Relay.ServerName);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.Relay.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Relay.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), options.Relay.DrainTimeout);
        Assert.Equal(100, options.Relay.MaxConnectionsPerGateway);
        Assert.Equal(IPAddress.Loopback, options.Relay.ListenAddressOverride);
        Assert.Equal(0, options.Relay.ListenPortOverride);
        Assert.False(options.JsonLogs);
    }

    [Fact]
    public void Parse_Nothing_DefaultsToEnvironmentDatabaseAndThisMachinesGateways()
    {
        var options = ServiceOptions.Parse([]);

        Assert.Null(options.Relay.Gateways);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Relay.DrainTimeout);
        Assert.True(options.JsonLogs);
        Assert.False(options.ShowHelp);
    }

    [Fact]
    public void Parse_BadValues_ReportsEveryProblem()
    {
        var error = Assert.Throws<GatewayException>(() => ServiceOptions.Parse(["--idle-timeout", "-1", "--listen-port", "65536", "--log-format", "xml", "--gateway"]));

        Assert.Equal(["--idle-timeout", "--listen-port", "--log-format", "--gateway"], error.Problems.Select(p => p.Field));
    }
}
