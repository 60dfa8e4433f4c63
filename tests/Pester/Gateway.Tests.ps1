BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
}

Describe 'Gateway cmdlets' {
    BeforeEach {
        $null = Use-TestDatabase
    }

    It 'adds a gateway with defaults and reads it back' {
        $gateway = Add-CloudGateway -Name gw1 -Address gw1.example.net
        $gateway.GetType().FullName | Should -Be 'CloudGateway.Model.Gateway'
        $gateway.Port | Should -Be 6180
        $gateway.NetworkMode | Should -Be 'Direct'
        $gateway.Enabled | Should -BeTrue
        (Get-CloudGateway -Name GW1).Address | Should -Be 'gw1.example.net'
    }

    It 'adds a NAT gateway with an internal port' {
        $gateway = Add-CloudGateway -Name gw2 -Address 203.0.113.10 -Port 443 -NetworkMode Nat -InternalPort 7000
        $gateway.ListenPort | Should -Be 7000
    }

    It 'gets gateways by wildcard and writes nothing when no name matches' {
        $null = Add-CloudGateway -Name edge-1 -Address e1.example.net
        $null = Add-CloudGateway -Name edge-2 -Address e2.example.net
        $null = Add-CloudGateway -Name core-1 -Address c1.example.net
        (Get-CloudGateway -Name 'edge-*').Name | Should -Be @('edge-1', 'edge-2')
        Get-CloudGateway -Name 'nomatch*' | Should -BeNullOrEmpty
    }

    It 'updates only the given properties and renames' {
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net -Description 'first'
        $gateway = Set-CloudGateway -Name gw1 -Port 7001 -NewName gw1b -PassThru
        $gateway.Name | Should -Be 'gw1b'
        $gateway.Port | Should -Be 7001
        $gateway.Description | Should -Be 'first'
    }

    It 'writes nothing from Set without -PassThru' {
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        Set-CloudGateway -Name gw1 -Description changed | Should -BeNullOrEmpty
        (Get-CloudGateway gw1).Description | Should -Be 'changed'
    }

    It 'disables and enables' {
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        (Disable-CloudGateway -Name gw1 -PassThru).Enabled | Should -BeFalse
        (Get-CloudGateway gw1).Enabled | Should -BeFalse
        (Enable-CloudGateway -Name gw1 -PassThru).Enabled | Should -BeTrue
    }

    It 'removes a gateway' {
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        Remove-CloudGateway -Name gw1 -Confirm:$false
        Get-CloudGateway | Should -BeNullOrEmpty
    }

    It 'takes names from the pipeline by value' {
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        $null = Add-CloudGateway -Name gw2 -Address gw2.example.net
        'gw1', 'gw2' | Disable-CloudGateway
        (Get-CloudGateway).Enabled | Should -Be @($false, $false)
    }

    It 'takes names and properties from the pipeline by property name' {
        [pscustomobject]@{ Name = 'csv1'; Address = '192.0.2.1'; Port = 7100 },
        [pscustomobject]@{ Name = 'csv2'; Address = '192.0.2.2'; Port = 7200 } | Add-CloudGateway | Out-Null
        (Get-CloudGateway csv2).Port | Should -Be 7200
        [pscustomobject]@{ Name = 'csv1' } | Set-CloudGateway -Description 'by property'
        (Get-CloudGateway csv1).Description | Should -Be 'by property'
    }

    It 'takes gateway objects through -InputObject' {
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        Get-CloudGateway gw1 | Set-CloudGateway -Server edge02
        (Get-CloudGateway gw1).Server | Should -Be 'edge02'
        Get-CloudGateway gw1 | Remove-CloudGateway -Confirm:$false
        Get-CloudGateway | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        $counter = (Get-CloudGatewayDatabase).ChangeCounter
        Add-CloudGateway -Name gw2 -Address gw2.example.net -WhatIf
        Set-CloudGateway -Name gw1 -Port 7000 -WhatIf
        Disable-CloudGateway -Name gw1 -WhatIf
        Remove-CloudGateway -Name gw1 -WhatIf
        (Get-CloudGatewayDatabase).ChangeCounter | Should -Be $counter
        (Get-CloudGateway).Name | Should -Be 'gw1'
        (Get-CloudGateway gw1).Port | Should -Be 6180
    }

    It 'reports a duplicate name' {
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        Add-CloudGateway -Name GW1 -Address other.example.net -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'DuplicateName,CloudGateway.PowerShell.Commands.AddCloudGatewayCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'reports a port outside 1-65535' {
        Add-CloudGateway -Name gw1 -Address gw1.example.net -Port 70000 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidPort,CloudGateway.PowerShell.Commands.AddCloudGatewayCommand'
        Get-CloudGateway | Should -BeNullOrEmpty
    }

    It 'reports an address that is neither a DNS name nor an IP address' {
        Add-CloudGateway -Name gw1 -Address 'not an address!' -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidAddress,CloudGateway.PowerShell.Commands.AddCloudGatewayCommand'
    }

    It 'reports a missing gateway with the name as target and goes on with the next one' {
        $null = Add-CloudGateway -Name gw2 -Address gw2.example.net
        $found = Get-CloudGateway -Name nosuch, gw2 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'NotFound,CloudGateway.PowerShell.Commands.GetCloudGatewayCommand'
        $failures[0].TargetObject | Should -Be 'nosuch'
        $found.Name | Should -Be 'gw2'
    }
}
