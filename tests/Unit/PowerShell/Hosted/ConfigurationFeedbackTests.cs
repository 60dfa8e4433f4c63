using CloudGateway.Model;
using CloudGateway.Security;
using CloudGateway.Storage;

namespace CloudGateway.Tests.PowerShell.Hosted;

/// <summary>
/// The configuration cmdlets of the packaged module in a hosted runspace: export and import as entities written of
/// the total, and the verbose and warning lines of changes an administrator should hear about.
/// </summary>
[Collection(SerialHostedModule.Name)]
public sealed class ConfigurationFeedbackTests : IDisposable
{
    private const int Tenants = 40;
    private readonly TempFolder _temp = new();
    private readonly HostedModule _module = HostedModule.Import();

    public void Dispose()
    {
        _module.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void ExportAndImport_AnEstate_ReportEntitiesWrittenOfTheTotalAndListTheRows()
    {
        var source = _temp.File("source.db");
        var entities = MakeEstate(source);
        var document = _temp.File("estate.json");

        var export = _module.Run("Connect-CloudGatewayDatabase -Path $args[0] -Confirm:$false; Export-CloudGatewayConfiguration -Path $args[1] -Verbose", source, document).WithoutErrors();
        var import = _module.Run("Connect-CloudGatewayDatabase -Path $args[0] -Confirm:$false; Import-CloudGatewayConfiguration -Path $args[1] -Verbose -Confirm:$false",
            _temp.File("target.db"), document).WithoutErrors();

        Assert.Empty(export.Output);
        var written = ProgressAssert.Completes(export.Progress, minimumReports: 10);
        Assert.Equal(("Reading the configuration", 0), (written[0].StatusDescription, written[0].PercentComplete));
        Assert.Equal(($"{entities} of {entities} entities written", 100), (written[^1].StatusDescription, written[^1].PercentComplete));
        Assert.Contains($"Wrote 2 gateway(s), 1 pool(s), {Tenants} tenant(s) and {Tenants} resource(s) to '{document}'.", export.Verbose);

        Assert.Empty(import.Output);
        var imported = ProgressAssert.Completes(import.Progress, minimumReports: 10);
        Assert.Equal("Reading estate.json", imported[0].StatusDescription);
        Assert.Equal($"Checking {entities} entities", imported[1].StatusDescription);
        Assert.Equal(($"{entities} of {entities} entities written", 100), (imported[^1].StatusDescription, imported[^1].PercentComplete));
        Assert.Contains("Gateways: 2 added (gw1, gw2); none updated; none removed.", import.Verbose);
        Assert.Contains(import.Verbose, line => line.StartsWith($"Tenants: {Tenants} added (t00, t01, ", StringComparison.Ordinal) && line.Contains(" and 20 more)", StringComparison.Ordinal));
        Assert.Contains(import.Verbose, line => line.StartsWith("Change ", StringComparison.Ordinal) && line.EndsWith("every running relay reloads the whole configuration within 2 seconds.", StringComparison.Ordinal));
    }

    [Fact]
    public void Export_ProgressSilenced_WritesNoProgress()
    {
        var source = _temp.File("source.db");
        MakeEstate(source);

        var export = _module.Run("$ProgressPreference = 'SilentlyContinue'; Connect-CloudGatewayDatabase -Path $args[0] -Confirm:$false; Export-CloudGatewayConfiguration -Path $args[1]",
            source, _temp.File("estate.json")).WithoutErrors();

        Assert.Empty(export.Progress);
        Assert.True(File.Exists(_temp.File("estate.json")));
    }

    [Fact]
    public void DisableCloudGateway_LastEnabledGatewayOfATenantsPool_WarnsThatTheTenantCannotConnect()
    {
        var disable = _module.Run("""
            Connect-CloudGatewayDatabase -Path $args[0] -Confirm:$false
            $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1
            $null = Add-CloudGateway -Name gw2 -Address 127.0.0.2
            $null = New-CloudGatewayPool -Name p1 -Gateway gw1
            $null = New-CloudTenant -Name acme -Password (ConvertTo-SecureString 'pw-acme-tenant-1' -AsPlainText -Force) -Pool p1
            Disable-CloudGateway -Name gw1 -Confirm:$false
            """, _temp.File("pools.db")).WithoutErrors();

        Assert.Equal(["No gateway of the pools of tenant 'acme' (p1) is enabled: it cannot connect until one is enabled (Enable-CloudGateway) or it may fail over (Set-CloudTenant -GatewayFailover)."], disable.Warnings);
    }

    [Fact]
    public void StartCloudGatewayRelay_GatewayOfAnotherServerNotCoveredByTheCertificate_WarnsAboutBoth()
    {
        var start = _module.Run("""
            Connect-CloudGatewayDatabase -Path $args[0] -Confirm:$false
            $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1 -Server elsewhere
            $null = New-CloudGatewayCertificate -DnsName gateway.example.net -Confirm:$false
            $null = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0 -Verbose -Confirm:$false
            Stop-CloudGatewayRelay -DrainTimeout 0 -Confirm:$false
            """, _temp.File("relay.db")).WithoutErrors();

        Assert.Contains(start.Verbose, line => line.StartsWith("Gateway 'gw1' listens on 127.0.0.1:", StringComparison.Ordinal));
        Assert.Equal(2, start.Warnings.Count);
        Assert.StartsWith($"Gateway 'gw1' is assigned to server 'elsewhere', not this machine ('{Environment.MachineName}')", start.Warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("The gateway certificate does not cover address '127.0.0.1' of gateway 'gw1'", start.Warnings[1], StringComparison.Ordinal);
    }

    // Two gateways, a pool and a tenant with one resource per tenant, written through the engine (one password hash
    // for all, so the estate is quick to make); returns the number of entities.
    private static int MakeEstate(string path)
    {
        var hash = PasswordHasher.Hash("estate-password-1");
        using (var store = ConfigurationDatabase.Open(path))
        {
            store.ReplaceConfiguration(_ => new ConfigurationDocument
            {
                Gateways = [new Gateway { Name = "gw1", Address = "127.0.0.1" }, new Gateway { Name = "gw2", Address = "127.0.0.2" }],
                Pools = [new GatewayPool { Name = "p1", Members = ["gw2"] }],
                Tenants = [.. Enumerable.Range(0, Tenants).Select(i => new TenantCredential(new Tenant { Name = $"t{i:00}" }, hash))],
                Resources = [.. Enumerable.Range(0, Tenants).Select(i => new TenantResource { Tenant = $"t{i:00}", Name = "repo", TargetHost = "10.0.0.1", TargetPort = 2500 })],
            });
        }

        return 2 + 1 + Tenants + Tenants;
    }
}
