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
        Assert.Contains("Type=notify", lines);
        Assert.Contains("WatchdogSec=30", lines);
        Assert.Contains("ProtectSystem=strict", lines);
        Assert.Contains("ReadWritePaths=-/var/lib/cloudgateway", lines);
        Assert.Contains("NoNewPrivileges=true", lines);
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

    [Fact]
    public void Render_Unit_PassesSystemdAnalyzeVerify()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null || OperatingSystem.IsWindows())
        {
            // Filtered rather than skipped where systemd is absent; CI installs it (build.sh test_prerequisites).
            Assert.False(CiRun.IsCi, "systemd-analyze is missing");
            return;
        }

        var folder = Directory.CreateTempSubdirectory("cg-unit-").FullName;
        try
        {
            var program = Path.Combine(folder, "CloudGateway.Service");
            File.WriteAllText(program, "#!/bin/sh\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var unit = Path.Combine(folder, "cloudgateway-verify.service");
            File.WriteAllText(unit, SystemdUnit.Render(Definition(program) with { User = "root", Gateways = ["gw 1"] }));
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(analyze, ["verify", unit])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)));
            var ours = output.Split('\n').Where(line => line.Contains("cloudgateway-verify", StringComparison.Ordinal)).ToList();
            Assert.True(process.ExitCode == 0 && ours.Count == 0, $"systemd-analyze verify exit {process.ExitCode}:\n{output}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
