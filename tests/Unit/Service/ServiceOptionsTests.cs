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
            "--engine", "managed",
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
        Assert.Equal(CloudGateway.Relay.RelayEngine.Managed, options.Relay.Engine);
    }

    [Fact]
    public void Parse_LockoutOptions_SetTheLockoutPolicy()
    {
        var options = ServiceOptions.Parse(
        [
            "--lockout-source-threshold", "3", "--lockout-threshold", "100", "--lockout-sources", "20",
            "--lockout-window", "600", "--lockout-duration", "01:00:00", "--lockout-trust", "7.00:00:00",
        ]);

        var expected = new CloudGateway.Storage.LockoutPolicy(100, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)) { Sources = 20, SourceThreshold = 3, TrustDuration = TimeSpan.FromDays(7) };
        Assert.Equal(expected, options.Relay.LockoutPolicy);
        Assert.Equal(CloudGateway.Storage.LockoutPolicy.Default, ServiceOptions.Parse([]).Relay.LockoutPolicy);
    }

    [Fact]
    public void Parse_MetricsOptions_BindLoopbackByDefaultAndServeNothingWithout()
    {
        var options = ServiceOptions.Parse(["--metrics-listen", "9180", "--per-tenant-metrics", "on"]);
        var everywhere = ServiceOptions.Parse(["--metrics-listen", "0.0.0.0:9180"]);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9180), options.Relay.MetricsListener!.EndPoint);
        Assert.True(options.Relay.PerTenantMetrics);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 9180), everywhere.Relay.MetricsListener!.EndPoint);
        Assert.Null(ServiceOptions.Parse([]).Relay.MetricsListener);
        Assert.False(ServiceOptions.Parse([]).Relay.PerTenantMetrics);
    }

    [Theory]
    [InlineData("--metrics-listen", "localhost:9180")]
    [InlineData("--per-tenant-metrics", "yes")]
    public void Parse_BadMetricsOption_ReportsTheOption(string name, string value)
    {
        var ex = Assert.Throws<GatewayException>(() => ServiceOptions.Parse([name, value]));

        Assert.Equal(name, Assert.Single(ex.Problems).Field);
    }

    [Fact]
    public void Parse_AutoSwitch_SetsTheDaysAndRefusesThemOutsideOneToTwentyNine()
    {
        Assert.Equal(7, ServiceOptions.Parse(["--auto-switch", "7"]).Relay.AutoSwitchDays);
        Assert.Null(ServiceOptions.Parse([]).Relay.AutoSwitchDays);
        var ex = Assert.Throws<GatewayException>(() => ServiceOptions.Parse(["--auto-switch", "30"]));

        Assert.Equal("--auto-switch", Assert.Single(ex.Problems).Field);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("1")]
    public void Parse_UnknownEngine_ReportsTheOption(string engine)
    {
        var ex = Assert.Throws<GatewayException>(() => ServiceOptions.Parse(["--engine", engine]));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("--engine", problem.Field);
        Assert.Contains(engine, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ConnectionString_KeepsItAndShowsItOnlyRedacted()
    {
        const string secret = "pa55-w0rd-never-shown";
        var options = ServiceOptions.Parse(["--connection-string", $"Host=127.0.0.1;Port=5432;Database=cg;Username=cg;Password={secret}"]);

        Assert.Contains(secret, options.ConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, options.StoreLocation, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", options.StoreLocation, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedConnectionString_ReportsTheOptionWithoutEchoingIt()
    {
        const string secret = "pa55-w0rd-never-shown";
        var ex = Assert.Throws<GatewayException>(() => ServiceOptions.Parse(["--connection-string", $"Host=;Password={secret};Bogus Key==1"]));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("--connection-string", problem.Field);
        Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
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
