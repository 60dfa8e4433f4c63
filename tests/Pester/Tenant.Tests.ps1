BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
    $script:password = ConvertTo-SecureString 'Tenant-Pa55word!' -AsPlainText -Force
}

Describe 'Tenant cmdlets' {
    BeforeEach {
        $null = Use-TestDatabase
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        $null = Add-CloudGateway -Name gw2 -Address gw2.example.net
        $null = New-CloudGatewayPool -Name pool1 -Gateway gw2
    }

    It 'creates a standalone tenant from -Password and never outputs a password or hash' {
        $tenant = New-CloudTenant -Name contoso -Password $password
        $tenant.GetType().FullName | Should -Be 'CloudGateway.Model.Tenant'
        $tenant.GatewaySelection | Should -Be 'Standalone'
        $tenant.Enabled | Should -BeTrue
        $tenant.PSObject.Properties.Name | Should -Not -Contain 'PasswordHash'
        ($tenant | ConvertTo-Json) | Should -Not -Match 'pbkdf2'
    }

    It 'creates a pooled tenant from -Credential with limits written in bytes per second' {
        $credential = [pscredential]::new('fabrikam', $password)
        $lease = (Get-Date).AddYears(1)
        $tenant = New-CloudTenant -Credential $credential -Pool pool1 -GatewayFailover -MaxConcurrentSessions 20 -UploadBandwidth 10MB -DownloadBandwidth 50MB -LeaseExpiration $lease
        $tenant.Name | Should -Be 'fabrikam'
        $tenant.GatewaySelection | Should -Be 'Pools'
        $tenant.Pools | Should -Be @('pool1')
        $tenant.GatewayFailover | Should -BeTrue
        $tenant.UploadBandwidth | Should -Be 10485760
        $tenant.DownloadBandwidth | Should -Be 52428800
        $tenant.MaxConcurrentSessions | Should -Be 20
    }

    It 'gets tenants by wildcard' {
        $null = New-CloudTenant -Name lab-1 -Password $password
        $null = New-CloudTenant -Name lab-2 -Password $password
        $null = New-CloudTenant -Name prod -Password $password
        (Get-CloudTenant -Name 'lab-*').Name | Should -Be @('lab-1', 'lab-2')
    }

    It 'updates only the given properties; an empty pool list returns the tenant to standalone gateways' {
        $null = New-CloudTenant -Name contoso -Password $password -Pool pool1 -Description keep
        $tenant = Set-CloudTenant -Name contoso -UploadBandwidth 1MB -Pool @() -PassThru
        $tenant.UploadBandwidth | Should -Be 1048576
        $tenant.GatewaySelection | Should -Be 'Standalone'
        $tenant.Description | Should -Be 'keep'
    }

    It 'disables, enables and unlocks' {
        $null = New-CloudTenant -Name contoso -Password $password
        (Disable-CloudTenant -Name contoso -PassThru).Enabled | Should -BeFalse
        (Enable-CloudTenant -Name contoso -PassThru).Enabled | Should -BeTrue
        $unlocked = Unlock-CloudTenant -Name contoso -PassThru
        $unlocked.FailedLogonCount | Should -Be 0
        $unlocked.LockedUntil | Should -BeNullOrEmpty
    }

    It 'removes a tenant with its resources' {
        $null = New-CloudTenant -Name contoso -Password $password
        $null = Add-CloudTenantResource -Tenant contoso -Name repo1 -TargetHost 10.0.5.20 -TargetPort 2500
        Remove-CloudTenant -Name contoso -Confirm:$false
        Get-CloudTenant | Should -BeNullOrEmpty
        Get-CloudTenantResource | Should -BeNullOrEmpty
    }

    It 'takes names from the pipeline by value and by property name, and objects through -InputObject' {
        $null = New-CloudTenant -Name t1 -Password $password
        $null = New-CloudTenant -Name t2 -Password $password
        't1' | Disable-CloudTenant
        [pscustomobject]@{ Name = 't2' } | Disable-CloudTenant
        (Get-CloudTenant).Enabled | Should -Be @($false, $false)
        Get-CloudTenant | Enable-CloudTenant
        (Get-CloudTenant).Enabled | Should -Be @($true, $true)
    }

    It 'changes nothing with -WhatIf' {
        $null = New-CloudTenant -Name contoso -Password $password
        $counter = (Get-CloudGatewayDatabase).ChangeCounter
        New-CloudTenant -Name other -Password $password -WhatIf
        Set-CloudTenant -Name contoso -MaxConcurrentSessions 5 -Password $password -WhatIf
        Disable-CloudTenant -Name contoso -WhatIf
        Unlock-CloudTenant -Name contoso -WhatIf
        Remove-CloudTenant -Name contoso -WhatIf
        (Get-CloudGatewayDatabase).ChangeCounter | Should -Be $counter
        (Get-CloudTenant).Name | Should -Be 'contoso'
    }

    It 'refuses a pool that does not exist' {
        New-CloudTenant -Name contoso -Password $password -Pool nosuch -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'PoolNotFound,CloudGateway.PowerShell.Commands.NewCloudTenantCommand'
        Get-CloudTenant | Should -BeNullOrEmpty
    }

    It 'refuses a duplicate tenant name' {
        $null = New-CloudTenant -Name contoso -Password $password
        New-CloudTenant -Name CONTOSO -Password $password -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'DuplicateName,CloudGateway.PowerShell.Commands.NewCloudTenantCommand'
    }

    It 'refuses a name with a forbidden character' {
        New-CloudTenant -Name 'bad/name' -Password $password -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidName,CloudGateway.PowerShell.Commands.NewCloudTenantCommand'
    }

    It 'refuses a password shorter than the minimum, and Set-CloudTenant then changes nothing' {
        $short = ConvertTo-SecureString 'Qz7-short' -AsPlainText -Force
        New-CloudTenant -Name contoso -Password $short -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidPassword,CloudGateway.PowerShell.Commands.NewCloudTenantCommand'
        "$($failures[0])" | Should -Match 'at least 12 characters'
        "$($failures[0])" | Should -Not -Match 'Qz7-short'
        Get-CloudTenant | Should -BeNullOrEmpty

        $null = New-CloudTenant -Name contoso -Password $password
        Set-CloudTenant -Name contoso -Password $short -Description changed -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidPassword,CloudGateway.PowerShell.Commands.SetCloudTenantCommand'
        (Get-CloudTenant -Name contoso).Description | Should -BeNullOrEmpty
    }

    It 'takes the minimum password length from CLOUDGATEWAY_MINIMUM_PASSWORD_LENGTH' {
        $env:CLOUDGATEWAY_MINIMUM_PASSWORD_LENGTH = '20'
        try {
            New-CloudTenant -Name contoso -Password $password -ErrorVariable failures -ErrorAction SilentlyContinue
            "$($failures[0])" | Should -Match 'at least 20 characters'
        } finally {
            Remove-Item Env:CLOUDGATEWAY_MINIMUM_PASSWORD_LENGTH
        }
    }

    It 'refuses a tenant name that looks like an existing one (Cyrillic a)' {
        $null = New-CloudTenant -Name alice -Password $password
        New-CloudTenant -Name "$([char]0x0430)lice" -Password $password -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'DuplicateName,CloudGateway.PowerShell.Commands.NewCloudTenantCommand'
        "$($failures[0])" | Should -Match 'looks the same'
        New-CloudTenant -Name "alice$([char]0xFE0F)" -Password $password -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidName,CloudGateway.PowerShell.Commands.NewCloudTenantCommand'
        "$($failures[0])" | Should -Match 'invisible characters such as U\+FE0F'
        @(Get-CloudTenant).Count | Should -Be 1
    }

    It 'has no string parameter that could carry a password' {
        (Get-Command New-CloudTenant).Parameters['Password'].ParameterType | Should -Be ([securestring])
        (Get-Command Set-CloudTenant).Parameters['Password'].ParameterType | Should -Be ([securestring])
    }
}
