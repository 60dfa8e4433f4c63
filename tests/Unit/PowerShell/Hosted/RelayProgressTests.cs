using System.Net;
using System.Net.Sockets;
using CloudGateway.Tests.Relay;

namespace CloudGateway.Tests.PowerShell.Hosted;

/// <summary>
/// The relay cmdlets of the packaged module in a hosted runspace, with a real relay on loopback and a tenant session
/// open: the drain, the wait and the tenant-side probes as progress records, what silencing progress does, and the
/// verbose lines of a change that waits for a drain.
/// </summary>
[Collection(SerialHostedModule.Name)]
#pragma warning disable CA1001 // xunit disposes the fields through IAsyncLifetime.DisposeAsync.
public sealed class RelayProgressTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string Password = "hosted-tenant-password";

    private const string SetUp = """
        param($Database, $Port, $Backend, $Certificate)
        Connect-CloudGatewayDatabase -Path $Database -Confirm:$false
        $null = Set-CloudGatewayCertificate -Path $Certificate -Force -Confirm:$false
        $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1 -Port $Port -ListenAddress 127.0.0.1
        $null = New-CloudTenant -Name acme -Password (ConvertTo-SecureString 'hosted-tenant-password' -AsPlainText -Force)
        $null = Add-CloudTenantResource -Tenant acme -Name repo -TargetHost 127.0.0.1 -TargetPort $Backend
        $null = Start-CloudGatewayRelay -DrainTimeout 2 -Confirm:$false
        """;

    private readonly TempFolder _temp = new();
    private readonly EchoBackend _backend = new();
    private readonly int _port = FreeLoopbackPort();
    private HostedModule _module = null!;

    public Task InitializeAsync()
    {
        // The tests' own certificate, the one RelayTestClient pins.
        var certificate = _temp.File("gateway.pfx");
        File.WriteAllBytes(certificate, TestCertificates.GatewayPkcs12);
        _module = HostedModule.Import();
        _module.Run(SetUp, _temp.File("relay.db"), _port, _backend.Port, certificate).WithoutErrors();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _module?.Dispose();
        await _backend.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task StopCloudGatewayRelay_DrainWithASessionOpen_ReportsSessionsAndTimeLeftUntilCompleted()
    {
        await using var session = await OpenSessionAsync();

        var stop = _module.Run("Stop-CloudGatewayRelay -DrainTimeout 2 -Confirm:$false").WithoutErrors();

        Assert.Empty(stop.Output);
        var reports = ProgressAssert.Completes(stop.Progress, minimumReports: 3);
        Assert.Equal("Draining the relay", reports[0].Activity);
        Assert.StartsWith("1 of 1 session(s) left", reports[0].StatusDescription, StringComparison.Ordinal);
        Assert.StartsWith("acme/repo through gw1", reports[0].CurrentOperation, StringComparison.Ordinal);
        Assert.InRange(reports[0].SecondsRemaining, 1, 2);
        Assert.InRange(reports[0].PercentComplete, 0, 25);
        Assert.True(reports[^1].PercentComplete >= 50, ProgressAssert.Describe(stop.Progress));
        await AssertClosedAsync(session);
    }

    [Theory]
    [InlineData("$ProgressPreference = 'SilentlyContinue'; Stop-CloudGatewayRelay -DrainTimeout 1 -Confirm:$false")]
    [InlineData("Stop-CloudGatewayRelay -DrainTimeout 1 -ProgressAction SilentlyContinue -Confirm:$false")]
    public async Task StopCloudGatewayRelay_ProgressSilenced_WritesNoProgress(string script)
    {
        await using var session = await OpenSessionAsync();

        var stop = _module.Run(script).WithoutErrors();

        Assert.Empty(stop.Progress);
        Assert.Empty(stop.Output);
        await AssertClosedAsync(session);
    }

    [Fact]
    public async Task WaitCloudGatewayRelay_Timeout_ShowsSessionsAndUptimeThenCompletes()
    {
        await using var session = await OpenSessionAsync();

        var wait = _module.Run("Wait-CloudGatewayRelay -Timeout 2");

        Assert.Equal("RelayError,CloudGateway.PowerShell.Commands.WaitCloudGatewayRelayCommand", Assert.Single(wait.Errors).FullyQualifiedErrorId);
        var reports = ProgressAssert.Completes(wait.Progress);
        Assert.All(reports, r => Assert.Matches(@"^Running: 1 session\(s\), up 0\.00:00:\d\d, ", r.StatusDescription));
        Assert.True(reports[^1].PercentComplete >= 40, ProgressAssert.Describe(wait.Progress));
    }

    [Fact]
    public async Task DisableCloudGateway_Wait_ReportsTheDrainAndSaysWhatChanged()
    {
        await using var session = await OpenSessionAsync();

        var disable = _module.Run("Disable-CloudGateway -Name gw1 -Wait -Verbose -Confirm:$false").WithoutErrors();

        Assert.Empty(disable.Output);
        var reports = ProgressAssert.Completes(disable.Progress);
        Assert.Contains(reports, r => r.StatusDescription.StartsWith("1 of 1 session(s) left", StringComparison.Ordinal));
        Assert.Contains(disable.Verbose, line => line.StartsWith("Gateway 'gw1' (row ", StringComparison.Ordinal) && line.Contains("disabled: change ", StringComparison.Ordinal)
            && line.EndsWith("it concerns gateway(s) gw1.", StringComparison.Ordinal));
        await AssertClosedAsync(session);
    }

    [Fact]
    public void ProviderCmdlets_ReportEachGatewayTried()
    {
        _module.Run("""
            $credential = [pscredential]::new('acme', (ConvertTo-SecureString 'hosted-tenant-password' -AsPlainText -Force))
            $null = Add-CloudProvider -Name sp -Address 127.0.0.1 -Port $args[0] -Credential $credential -CertificateThumbprint (Get-CloudGatewayCertificate).Thumbprint
            """, _port).WithoutErrors();

        var test = _module.Run("Test-CloudProviderConnection -Name sp").WithoutErrors();
        var update = _module.Run("Update-CloudProvider -Name sp -Verbose -Confirm:$false").WithoutErrors();

        Assert.True(Assert.Single(test.Output).Properties["Authenticated"].Value is true);
        var probes = ProgressAssert.Completes(test.Progress);
        Assert.Equal(["Testing gateway 1 of 1", "1 gateway(s) tested"], probes.Select(r => r.StatusDescription));
        Assert.Equal([0, 100], probes.Select(r => r.PercentComplete));
        var tries = ProgressAssert.Completes(update.Progress, minimumReports: 1);
        Assert.Equal("Trying gateway 1 of 1", tries[0].StatusDescription);
        Assert.Equal($"gw1 (127.0.0.1:{_port})", tries[0].CurrentOperation);
        Assert.Empty(update.Output);
        Assert.Contains("Cloud provider 'sp' now lists 1 gateway(s): gw1.", update.Verbose);
    }

    private async Task<RelayTestClient> OpenSessionAsync()
    {
        var session = await RelayTestClient.ConnectAsync(_port, "acme", Password, "repo");
        Assert.True(session.Answer.Accepted, session.Answer.Reason);
        return session;
    }

    // The relay closed the session: end of stream, or a reset when it aborted the socket.
    private static async Task AssertClosedAsync(RelayTestClient session)
    {
        try
        {
            Assert.Equal(0, await session.ReadToEndAsync());
        }
        catch (IOException)
        {
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
