BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
    $script:password = ConvertTo-SecureString 'Tenant-Pa55word!' -AsPlainText -Force
}

Describe 'Default gateway cmdlets' {
    BeforeEach {
        $null = Use-TestDatabase
        $null = New-CloudTenant -Name contoso -Password $password
        $null = New-CloudTenant -Name fabrikam -Password $password
        $null = New-CloudHardwarePlan -Name Gold -Network prod, web -IsolatedNetwork backend
        Set-DefaultGatewayConfiguration -Tenant contoso, fabrikam -HardwarePlan Gold
    }

    It 'creates an entry explicitly with an IPv4 address and mask' {
        $gateway = Set-DefaultGateway -Tenant contoso -Network prod -IPAddress 192.168.1.1 -SubnetMask 255.255.255.0 -PassThru
        $gateway.GetType().FullName | Should -Be 'CloudGateway.Networking.DefaultGateway'
        $gateway.IPAddress.ToString() | Should -Be '192.168.1.1'
        $gateway.IPv4PrefixLength | Should -Be 24
        (Get-DefaultGateway -Tenant contoso -Network prod).SubnetMask.ToString() | Should -Be '255.255.255.0'
    }

    It 'takes -IPv4Prefix and adds IPv6 later without losing IPv4' {
        Set-DefaultGateway -Tenant contoso -Network prod -IPv4Prefix 192.168.1.1/24
        Set-DefaultGateway -Tenant contoso -Network prod -IPv6Network 2001:db8:1:: -PrefixLength 64 -IPv6Address 2001:db8:1::1
        $gateway = Get-DefaultGateway contoso prod
        $gateway.IPAddress.ToString() | Should -Be '192.168.1.1'
        $gateway.IPv6Address.ToString() | Should -Be '2001:db8:1::1'
        $gateway.PrefixLength | Should -Be 64
    }

    It 'accepts /31 and /32 and IPv6 /127 and /128' {
        Set-DefaultGateway -Tenant contoso -Network prod -IPv4Prefix 192.0.2.0/31
        Set-DefaultGateway -Tenant contoso -Network web -IPv4Prefix 192.0.2.9/32
        Set-DefaultGateway -Tenant contoso -Network backend -IPv6Network 2001:db8::4 -PrefixLength 127 -IPv6Address 2001:db8::4
        (Get-DefaultGateway contoso).Count | Should -Be 3
        Set-DefaultGateway -Tenant contoso -Network backend -IPv6Network 2001:db8::9 -PrefixLength 128 -IPv6Address 2001:db8::9
        (Get-DefaultGateway contoso backend).PrefixLength | Should -Be 128
    }

    It 'names the field of each broken rule in the ErrorId' -TestCases @(
        @{ Arguments = @{ IPAddress = '192.168.1.1'; SubnetMask = '255.0.255.0' }; ErrorId = 'InvalidSubnetMask' }
        @{ Arguments = @{ IPAddress = '192.168.1.0'; SubnetMask = '255.255.255.0' }; ErrorId = 'InvalidIPAddress' }
        @{ Arguments = @{ IPAddress = '192.168.1.255'; SubnetMask = '255.255.255.0' }; ErrorId = 'InvalidIPAddress' }
        @{ Arguments = @{ IPv4Prefix = '192.168.1.1/0' }; ErrorId = 'InvalidSubnetMask' }
        @{ Arguments = @{ IPv4Prefix = '192.168.1.1/33' }; ErrorId = 'InvalidIPv4Prefix' }
        @{ Arguments = @{ IPAddress = '192.168.1.1' }; ErrorId = 'InvalidSubnetMask' }
        @{ Arguments = @{ IPv6Network = '2001:db8::'; PrefixLength = 0; IPv6Address = '2001:db8::1' }; ErrorId = 'InvalidPrefixLength' }
        @{ Arguments = @{ IPv6Network = '2001:db8::'; PrefixLength = 129; IPv6Address = '2001:db8::1' }; ErrorId = 'InvalidPrefixLength' }
        @{ Arguments = @{ IPv6Network = '2001:db8::1'; PrefixLength = 64; IPv6Address = '2001:db8::1' }; ErrorId = 'InvalidIPv6Network' }
        @{ Arguments = @{ IPv6Network = '2001:db8::'; PrefixLength = 64; IPv6Address = '2001:db9::1' }; ErrorId = 'InvalidIPv6Address' }
        @{ Arguments = @{ IPv6Network = '2001:db8::'; PrefixLength = 64; IPv6Address = '2001:db8::' }; ErrorId = 'InvalidIPv6Address' }
    ) {
        param($Arguments, $ErrorId)
        Set-DefaultGateway -Tenant contoso -Network prod @Arguments -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be "$ErrorId,CloudGateway.PowerShell.Commands.SetDefaultGatewayCommand"
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-DefaultGateway -Tenant contoso | Should -BeNullOrEmpty
    }

    It 'refuses a network that is not in the tenant''s plan' {
        Set-DefaultGateway -Tenant contoso -Network office -IPv4Prefix 192.168.1.1/24 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidNetwork,CloudGateway.PowerShell.Commands.SetDefaultGatewayCommand'
    }

    It 'refuses overlapping networks only while RouteBetweenNetworks is on' {
        Set-DefaultGateway -Tenant contoso -Network prod -IPv4Prefix 192.168.1.1/24
        Set-DefaultGateway -Tenant contoso -Network web -IPv4Prefix 192.168.1.129/25
        Set-DefaultGatewayConfiguration -Tenant contoso -RouteBetweenNetworks -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidRouteBetweenNetworks,CloudGateway.PowerShell.Commands.SetDefaultGatewayConfigurationCommand'
        (Get-DefaultGatewayConfiguration contoso).RouteBetweenNetworks | Should -BeFalse

        Set-DefaultGateway -Tenant contoso -Network web -IPv4Prefix 192.168.2.1/24
        $configuration = Set-DefaultGatewayConfiguration -Tenant contoso -RouteBetweenNetworks -PassThru
        $configuration.RouteBetweenNetworks | Should -BeTrue
        Set-DefaultGateway -Tenant contoso -Network backend -IPv4Prefix 192.168.2.200/28 -ErrorVariable overlap -ErrorAction SilentlyContinue
        $overlap[0].FullyQualifiedErrorId | Should -Be 'InvalidNetwork,CloudGateway.PowerShell.Commands.SetDefaultGatewayCommand'
        (Set-DefaultGatewayConfiguration -Tenant contoso -RouteBetweenNetworks:$false -PassThru).RouteBetweenNetworks | Should -BeFalse
    }

    It 'records what Get-ProductionNetwork finds, renamed to a plan network' {
        $found = Get-ProductionNetwork | Where-Object IPAddress | Select-Object -First 1
        if (-not $found) { Set-ItResult -Skipped -Because 'this machine has no IPv4 default gateway' ; return }
        $found.PSObject.Properties.Name | Should -Contain 'SubnetMask'
        Get-ProductionNetwork -InterfaceName $found.InterfaceName -Network prod | Set-DefaultGateway -Tenant contoso
        (Get-DefaultGateway contoso prod).IPAddress.ToString() | Should -Be $found.IPAddress.ToString()
    }

    It 'binds piped objects by property name and copies gateways between tenants' {
        [pscustomobject]@{ Network = 'prod'; IPAddress = '10.1.1.1'; SubnetMask = '255.255.0.0' } | Set-DefaultGateway -Tenant contoso
        Get-DefaultGateway -Tenant contoso | Set-DefaultGateway -Tenant fabrikam
        (Get-DefaultGateway -Tenant fabrikam -Network prod).IPv4PrefixLength | Should -Be 16
        (Get-DefaultGateway -Tenant '*' -Network prod).Tenant | Should -Be @('contoso', 'fabrikam')
    }

    It 'removes gateways, one by name and the rest from the pipeline' {
        Set-DefaultGateway -Tenant contoso -Network prod -IPv4Prefix 192.168.1.1/24
        Set-DefaultGateway -Tenant contoso -Network web -IPv4Prefix 192.168.2.1/24
        Remove-DefaultGateway -Tenant contoso -Network prod -Confirm:$false
        (Get-DefaultGateway contoso).Network | Should -Be @('web')
        Get-DefaultGateway contoso | Remove-DefaultGateway -Confirm:$false
        Get-DefaultGateway contoso | Should -BeNullOrEmpty
        Remove-DefaultGateway -Tenant contoso -Network web -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'NotFound,CloudGateway.PowerShell.Commands.RemoveDefaultGatewayCommand'
    }

    It 'reports a tenant''s plan through Set-CloudTenant and the configuration cmdlets' {
        Set-CloudTenant -Name contoso -HardwarePlan ''
        (Get-DefaultGatewayConfiguration contoso).HardwarePlan | Should -BeNullOrEmpty
        Set-CloudTenant -Name contoso -HardwarePlan nosuch -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidHardwarePlan,CloudGateway.PowerShell.Commands.SetCloudTenantCommand'
        Get-CloudTenant contoso | Set-DefaultGatewayConfiguration -HardwarePlan Gold
        (Get-DefaultGatewayConfiguration).HardwarePlan | Should -Be @('Gold', 'Gold')
    }

    It 'changes nothing with -WhatIf' {
        Set-DefaultGateway -Tenant contoso -Network prod -IPv4Prefix 192.168.1.1/24
        $counter = (Get-CloudGatewayDatabase).ChangeCounter
        Set-DefaultGateway -Tenant contoso -Network web -IPv4Prefix 192.168.2.1/24 -WhatIf
        Remove-DefaultGateway -Tenant contoso -Network prod -WhatIf
        Set-DefaultGatewayConfiguration -Tenant contoso -RouteBetweenNetworks -WhatIf
        (Get-CloudGatewayDatabase).ChangeCounter | Should -Be $counter
        (Get-DefaultGateway contoso).Network | Should -Be @('prod')
    }
}

Describe 'Network extension appliance cmdlets' {
    It 'refuses to start without root or off Linux with the matching ErrorId' {
        $null = Use-TestDatabase
        $null = New-CloudTenant -Name contoso -Password $password
        $null = New-CloudHardwarePlan -Name Gold -Network prod
        Set-CloudTenant -Name contoso -HardwarePlan Gold
        Start-NetworkExtensionAppliance -Tenant contoso -Namespace "cgpester$PID" -ExternalInterface eth0 -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $expected = if (-not $IsLinux) { 'PlatformNotSupported' } elseif ((id -u) -ne 0) { 'InsufficientPrivilege' } else { 'NotFound' }
        $failures[0].FullyQualifiedErrorId | Should -Be "$expected,CloudGateway.PowerShell.Commands.StartNetworkExtensionApplianceCommand"
        Get-NetworkExtensionAppliance -Namespace "cgpester$PID" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        Start-NetworkExtensionAppliance -Tenant contoso -Namespace "cgpester$PID" -ExternalInterface eth0 -WhatIf
        Stop-NetworkExtensionAppliance -Namespace "cgpester$PID" -WhatIf
        Get-NetworkExtensionAppliance -Namespace "cgpester$PID" -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'NotFound,CloudGateway.PowerShell.Commands.GetNetworkExtensionApplianceCommand'
    }
}

Describe 'Network extension cmdlets on PostgreSQL' -Skip:(-not $env:CLOUDGATEWAY_TEST_POSTGRES) {
    BeforeAll {
        # A schema of its own, so the test starts empty and leaves nothing behind.
        $script:schema = "cgpester_$([guid]::NewGuid().ToString('N').Substring(0, 16))"
        Invoke-TestPostgres -Sql "CREATE SCHEMA $schema"
        $script:connectionString = "$env:CLOUDGATEWAY_TEST_POSTGRES;Search Path=$schema"
    }

    AfterAll {
        $null = Use-TestDatabase
        Invoke-TestPostgres -Sql "DROP SCHEMA IF EXISTS $schema CASCADE"
    }

    It 'keeps plans, settings and gateways in the PostgreSQL database the session is connected to' {
        Connect-CloudGatewayDatabase -ConnectionString $connectionString -Confirm:$false
        $null = New-CloudTenant -Name contoso -Password $password
        $null = New-CloudHardwarePlan -Name Gold -Network prod, web -IsolatedNetwork backend
        Set-DefaultGatewayConfiguration -Tenant contoso -HardwarePlan Gold -RouteBetweenNetworks
        Set-DefaultGateway -Tenant contoso -Network PROD -IPv4Prefix 192.168.1.1/24

        $null = Use-TestDatabase
        Get-CloudHardwarePlan | Should -BeNullOrEmpty
        Connect-CloudGatewayDatabase -ConnectionString $connectionString -Confirm:$false

        (Get-CloudHardwarePlan Gold).Networks.Name | Should -Be @('prod', 'web', 'backend')
        $configuration = Get-DefaultGatewayConfiguration contoso
        $configuration.HardwarePlan | Should -Be 'Gold'
        $configuration.RouteBetweenNetworks | Should -BeTrue
        (Get-DefaultGateway contoso prod).Network | Should -Be 'prod'
        Set-DefaultGateway -Tenant contoso -Network web -IPv4Prefix 192.168.1.129/25 -ErrorVariable overlap -ErrorAction SilentlyContinue
        $overlap[0].FullyQualifiedErrorId | Should -Be 'InvalidNetwork,CloudGateway.PowerShell.Commands.SetDefaultGatewayCommand'
        Remove-CloudHardwarePlan -Name Gold -Confirm:$false -ErrorVariable inUse -ErrorAction SilentlyContinue
        $inUse[0].FullyQualifiedErrorId | Should -Be 'HardwarePlanInUse,CloudGateway.PowerShell.Commands.RemoveCloudHardwarePlanCommand'
    }
}
