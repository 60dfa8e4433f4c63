@{
    RootModule           = 'CloudGateway.PowerShell.dll'
    # Imported before the root module: routes the engine into its own load context before the cmdlets are read.
    NestedModules        = @('CloudGateway.Loader.dll')
    ModuleVersion        = '{{ModuleVersion}}'
    CompatiblePSEditions = @('Core')
    GUID                 = '5b0e7c52-3f8e-4d4c-9a41-6c2f1d0b7e93'
    Author               = 'CloudGateway contributors'
    CompanyName          = 'CloudGateway'
    Copyright            = '(c) CloudGateway contributors.'
    Description          = 'An open cloud gateway for backup and disaster-recovery service providers: gateways, pools, tenants and their resources, and the TLS relay between tenants and the provider.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('CloudGateway.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-CloudGatewayDatabase'
        'Get-CloudGatewayDatabase'
        'Add-CloudGateway'
        'Get-CloudGateway'
        'Set-CloudGateway'
        'Remove-CloudGateway'
        'Enable-CloudGateway'
        'Disable-CloudGateway'
        'New-CloudGatewayPool'
        'Get-CloudGatewayPool'
        'Set-CloudGatewayPool'
        'Remove-CloudGatewayPool'
        'New-CloudTenant'
        'Get-CloudTenant'
        'Set-CloudTenant'
        'Remove-CloudTenant'
        'Enable-CloudTenant'
        'Disable-CloudTenant'
        'Unlock-CloudTenant'
        'Add-CloudTenantResource'
        'Get-CloudTenantResource'
        'Set-CloudTenantResource'
        'Remove-CloudTenantResource'
        'Export-CloudGatewayConfiguration'
        'Import-CloudGatewayConfiguration'
        'New-CloudHardwarePlan'
        'Get-CloudHardwarePlan'
        'Set-CloudHardwarePlan'
        'Remove-CloudHardwarePlan'
        'Get-DefaultGateway'
        'Set-DefaultGateway'
        'Remove-DefaultGateway'
        'Get-DefaultGatewayConfiguration'
        'Set-DefaultGatewayConfiguration'
        'Get-ProductionNetwork'
        'Start-NetworkExtensionAppliance'
        'Stop-NetworkExtensionAppliance'
        'Get-NetworkExtensionAppliance'
        'Add-CloudProvider'
        'Get-CloudProvider'
        'Set-CloudProvider'
        'Remove-CloudProvider'
        'Update-CloudProvider'
        'Test-CloudProviderConnection'
        'Start-CloudTunnel'
        'Get-CloudTunnel'
        'Stop-CloudTunnel'
        'New-CloudGatewayCertificate'
        'Get-CloudGatewayCertificate'
        'Set-CloudGatewayCertificate'
        'Start-CloudGatewayRelay'
        'Get-CloudGatewayRelay'
        'Wait-CloudGatewayRelay'
        'Stop-CloudGatewayRelay'
        'Get-CloudGatewaySession'
        'Register-CloudGatewayService'
        'Unregister-CloudGatewayService'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('CloudGateway', 'Backup', 'DisasterRecovery', 'ServiceProvider', 'Gateway', 'TLS', 'Relay', 'Linux', 'Windows', 'MacOS', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/cloudgateway/cloudgateway'
            LicenseUri   = 'https://github.com/cloudgateway/cloudgateway/blob/main/LICENSE'
            ReleaseNotes = 'First release: gateways, pools, tenants and their resources in SQLite or PostgreSQL; the TLS relay (native OpenSSL event loops on Linux, SslStream elsewhere) in PowerShell or as a systemd unit or Windows service; the tenant side with per-connection failover; the network extension appliance on Linux; help for every cmdlet (Get-Help <cmdlet> -Full, Get-Help about_CloudGateway).'
        }
    }
}
