BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
}

Describe 'Gateway pool cmdlets' {
    BeforeEach {
        $null = Use-TestDatabase
        'gw1', 'gw2', 'gw3', 'gw4' | ForEach-Object { $null = Add-CloudGateway -Name $_ -Address "$_.example.net" }
    }

    It 'creates a pool with ordered members and marks its gateways' {
        $pool = New-CloudGatewayPool -Name pool1 -Gateway gw2, gw1 -Description 'region A'
        $pool.GetType().FullName | Should -Be 'CloudGateway.Model.GatewayPool'
        $pool.Members | Should -Be @('gw2', 'gw1')
        (Get-CloudGateway gw1).Pool | Should -Be 'pool1'
        (Get-CloudGateway gw3).Pool | Should -BeNullOrEmpty
    }

    It 'gets pools by wildcard' {
        $null = New-CloudGatewayPool -Name region-a -Gateway gw1
        $null = New-CloudGatewayPool -Name region-b -Gateway gw2
        (Get-CloudGatewayPool -Name 'region-*').Name | Should -Be @('region-a', 'region-b')
    }

    It 'adds and removes members without retyping the list' {
        $null = New-CloudGatewayPool -Name pool1 -Gateway gw1, gw2
        (Set-CloudGatewayPool -Name pool1 -AddGateway gw3 -PassThru).Members | Should -Be @('gw1', 'gw2', 'gw3')
        (Set-CloudGatewayPool -Name pool1 -RemoveGateway gw1 -PassThru).Members | Should -Be @('gw2', 'gw3')
        (Get-CloudGateway gw1).Pool | Should -BeNullOrEmpty
    }

    It 'replaces the member list, renames and describes' {
        $null = New-CloudGatewayPool -Name pool1 -Gateway gw1, gw2
        $pool = Set-CloudGatewayPool -Name pool1 -Gateway gw3 -NewName pool9 -Description changed -PassThru
        $pool.Name | Should -Be 'pool9'
        $pool.Members | Should -Be @('gw3')
        $pool.Description | Should -Be 'changed'
    }

    It 'removes a pool and its gateways become standalone' {
        $null = New-CloudGatewayPool -Name pool1 -Gateway gw1
        Remove-CloudGatewayPool -Name pool1 -Confirm:$false
        Get-CloudGatewayPool | Should -BeNullOrEmpty
        (Get-CloudGateway gw1).Pool | Should -BeNullOrEmpty
    }

    It 'takes names from the pipeline by value and by property name, and objects through -InputObject' {
        $null = New-CloudGatewayPool -Name pool1 -Gateway gw1
        $null = New-CloudGatewayPool -Name pool2 -Gateway gw2
        'pool1' | Set-CloudGatewayPool -Description 'by value'
        [pscustomobject]@{ Name = 'pool2' } | Set-CloudGatewayPool -Description 'by property'
        (Get-CloudGatewayPool pool1).Description | Should -Be 'by value'
        (Get-CloudGatewayPool pool2).Description | Should -Be 'by property'
        Get-CloudGatewayPool | Remove-CloudGatewayPool -Confirm:$false
        Get-CloudGatewayPool | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $null = New-CloudGatewayPool -Name pool1 -Gateway gw1
        $counter = (Get-CloudGatewayDatabase).ChangeCounter
        New-CloudGatewayPool -Name pool2 -Gateway gw2 -WhatIf
        Set-CloudGatewayPool -Name pool1 -AddGateway gw3 -WhatIf
        Remove-CloudGatewayPool -Name pool1 -WhatIf
        (Get-CloudGatewayDatabase).ChangeCounter | Should -Be $counter
        (Get-CloudGatewayPool).Members | Should -Be @('gw1')
    }

    It 'refuses a gateway that is already in another pool' {
        $null = New-CloudGatewayPool -Name pool1 -Gateway gw1
        New-CloudGatewayPool -Name pool2 -Gateway gw1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'GatewayInAnotherPool,CloudGateway.PowerShell.Commands.NewCloudGatewayPoolCommand'
    }

    It 'refuses a duplicate pool name' {
        $null = New-CloudGatewayPool -Name pool1 -Gateway gw1
        New-CloudGatewayPool -Name POOL1 -Gateway gw2 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'DuplicateName,CloudGateway.PowerShell.Commands.NewCloudGatewayPoolCommand'
    }

    It 'refuses to pool the last standalone gateway while a tenant uses standalone gateways, unless -Force' {
        $password = ConvertTo-SecureString 'Tenant-Pa55word!' -AsPlainText -Force
        $null = New-CloudTenant -Name standalone-tenant -Password $password
        $null = New-CloudGatewayPool -Name pool1 -Gateway gw1, gw2, gw3
        Set-CloudGatewayPool -Name pool1 -AddGateway gw4 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'LastStandaloneGateway,CloudGateway.PowerShell.Commands.SetCloudGatewayPoolCommand'
        (Get-CloudGateway gw4).Pool | Should -BeNullOrEmpty
        Set-CloudGatewayPool -Name pool1 -AddGateway gw4 -Force
        (Get-CloudGateway gw4).Pool | Should -Be 'pool1'
    }

    It 'refuses to remove a pool tenants use, unless -Force' {
        $null = New-CloudGatewayPool -Name pool1 -Gateway gw1
        $password = ConvertTo-SecureString 'Tenant-Pa55word!' -AsPlainText -Force
        $null = New-CloudTenant -Name pooled -Password $password -Pool pool1
        Remove-CloudGatewayPool -Name pool1 -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'PoolInUse,CloudGateway.PowerShell.Commands.RemoveCloudGatewayPoolCommand'
        Get-CloudGatewayPool pool1 | Should -Not -BeNullOrEmpty
        Remove-CloudGatewayPool -Name pool1 -Force -Confirm:$false
        Get-CloudGatewayPool | Should -BeNullOrEmpty
    }
}
