using CloudGateway.Hosting;

namespace CloudGateway.Tests.Hosting;

public sealed class SystemdUnitTests
{
    private static ServiceDefinition Definition(string program = "/opt/cloudgateway/service/CloudGateway.Service") => new()
    {
        Command = new ServiceCommand(program, []),
        DatabasePath = "/var/lib/cloudgateway/cloudgateway.db",
    };

    [Fact]
    public void Render_Defaults_RunsServiceWithDatabaseAndStopsWithinDrainPlusMargin()
    {
        var unit = SystemdUnit.Render(Definition());

        var lines = unit.Split('\n');
        Assert.Contains("ExecStart=/opt/cloudgateway/service/CloudGateway.Service --database /var/lib/cloudgateway/cloudgateway.db", lines);
        Assert.Contains("KillSignal=SIGTERM", lines);
        Assert.Contains("TimeoutStopSec=45", lines);
        Assert.Contains("WantedBy=multi-user.target", lines);
        Assert.Contains("[Install]", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("User=", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', unit);
    }

    [Fact]
    public void Render_GatewaysTimeoutsAndUser_PassesEachAsArguments()
    {
        var definition = Definition() with
        {
            Gateways = ["gw1", "gw 2"],
            HandshakeTimeout = TimeSpan.FromSeconds(5),
            IdleTimeout = TimeSpan.FromMinutes(10),
            DrainTimeout = TimeSpan.FromSeconds(90.5),
            User = "cloudgw",
        };

        var lines = SystemdUnit.Render(definition).Split('\n');

        Assert.Contains("ExecStart=/opt/cloudgateway/service/CloudGateway.Service --database /var/lib/cloudgateway/cloudgateway.db --gateway gw1 --gateway \"gw 2\" --handshake-timeout 5 --idle-timeout 600 --drain-timeout 90.5", lines);
        Assert.Contains("TimeoutStopSec=106", lines);
        Assert.Contains("User=cloudgw", lines);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("100%", "100%%")]
    [InlineData("$HOME", "$$HOME")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("c:\\x y", "\"c:\\\\x y\"")]
    [InlineData("", "\"\"")]
    public void Quote_Word_EscapedForExecStart(string word, string expected)
    {
        Assert.Equal(expected, SystemdUnit.Quote(word));
    }

    [Fact]
    public void Validate_BadFields_ReportsEveryProblem()
    {
        var definition = Definition("relative/CloudGateway.Service") with
        {
            Name = "-bad name",
            Gateways = ["gw1\nExecStartPre=/bin/evil"],
            User = "root user",
            DrainTimeout = TimeSpan.Zero,
        };

        var fields = definition.Validate().Select(p => p.Field).ToList();

        Assert.Equal(["Name", "ServicePath", "User", "Gateway", "DrainTimeout"], fields);
    }
}
