using CloudGateway.Tests.Networking.Appliance;

namespace CloudGateway.Tests.PowerShell.Hosted;

/// <summary>Start- and Stop-NetworkExtensionAppliance of the packaged module in a hosted runspace, on a real network namespace.</summary>
[Collection(SerialHostedModule.Name)]
public sealed class ApplianceProgressTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly NamespaceLab? _lab = LinuxRootFactAttribute.WhyNot() is null ? new NamespaceLab() : null;
    private readonly HostedModule _module = HostedModule.Import();

    public void Dispose()
    {
        _module.Dispose();
        _lab?.Dispose();
        _temp.Dispose();
    }

    [LinuxRootFact]
    public void StartAndStop_OneNetwork_ReportStepOfStepsUntilCompleted()
    {
        var start = _module.Run("""
            param($Database, $Namespace)
            Connect-CloudGatewayDatabase -Path $Database -Confirm:$false
            $null = New-CloudTenant -Name acme -Password (ConvertTo-SecureString 'pw-appliance-tenant-1' -AsPlainText -Force)
            $null = New-CloudHardwarePlan -Name gold -Network web
            Set-DefaultGatewayConfiguration -Tenant acme -HardwarePlan gold -Confirm:$false
            Set-DefaultGateway -Tenant acme -Network web -IPv4Prefix 192.0.2.1/25 -Confirm:$false
            $null = Start-NetworkExtensionAppliance -Tenant acme -Namespace $Namespace -ExternalInterface ext0 -Confirm:$false
            """, _temp.File("appliance.db"), _lab!.Appliance).WithoutErrors();
        var stop = _module.Run("Stop-NetworkExtensionAppliance -Namespace $args[0] -Confirm:$false", _lab.Appliance).WithoutErrors();

        var started = ProgressAssert.Completes(start.Progress, minimumReports: 4);
        Assert.Equal(["Step 1 of 4", "Step 2 of 4", "Step 3 of 4", "Step 4 of 4"], started.Select(r => r.StatusDescription));
        Assert.Matches("^bridge cgbr[0-9]+ for network 'web'$", started[0].CurrentOperation);
        var stopped = ProgressAssert.Completes(stop.Progress, minimumReports: 2);
        Assert.Equal("Step 1 of 3", stopped[0].StatusDescription);
        Assert.Empty(stop.Output);
    }
}
