BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
    $script:password = ConvertTo-SecureString 'Tenant-Pa55word!' -AsPlainText -Force
}

Describe 'Tenant resource cmdlets' {
    BeforeEach {
        $null = Use-TestDatabase
        $null = New-CloudTenant -Name contoso -Password $password
        $null = New-CloudTenant -Name fabrikam -Password $password
    }

    It 'adds a resource and reads it back' {
        $resource = Add-CloudTenantResource -Tenant contoso -Name repo1 -TargetHost 10.0.5.20 -TargetPort 2500 -Description 'data mover'
        $resource.GetType().FullName | Should -Be 'CloudGateway.Model.TenantResource'
        (Get-CloudTenantResource -Tenant contoso -Name REPO1).TargetHost | Should -Be '10.0.5.20'
    }

    It 'gets resources of one tenant, by wildcard, and across tenants' {
        $null = Add-CloudTenantResource -Tenant contoso -Name repo1 -TargetHost 10.0.5.20 -TargetPort 2500
        $null = Add-CloudTenantResource -Tenant contoso -Name vbr -TargetHost 10.0.5.30 -TargetPort 10000
        $null = Add-CloudTenantResource -Tenant fabrikam -Name repo1 -TargetHost 10.0.6.20 -TargetPort 2500
        (Get-CloudTenantResource -Tenant contoso).Name | Should -Be @('repo1', 'vbr')
        (Get-CloudTenantResource -Tenant contoso -Name 'r*').Name | Should -Be @('repo1')
        (Get-CloudTenantResource -Name repo1).Tenant | Should -Be @('contoso', 'fabrikam')
    }

    It 'updates only the given properties' {
        $null = Add-CloudTenantResource -Tenant contoso -Name repo1 -TargetHost 10.0.5.20 -TargetPort 2500 -Description keep
        $resource = Set-CloudTenantResource -Tenant contoso -Name repo1 -TargetPort 2501 -NewName repo2 -PassThru
        $resource.Name | Should -Be 'repo2'
        $resource.TargetPort | Should -Be 2501
        $resource.TargetHost | Should -Be '10.0.5.20'
        $resource.Description | Should -Be 'keep'
    }

    It 'removes a resource' {
        $null = Add-CloudTenantResource -Tenant contoso -Name repo1 -TargetHost 10.0.5.20 -TargetPort 2500
        Remove-CloudTenantResource -Tenant contoso -Name repo1 -Confirm:$false
        Get-CloudTenantResource | Should -BeNullOrEmpty
    }

    It 'takes names by value, rows by property name, and objects through -InputObject' {
        @(
            [pscustomobject]@{ Tenant = 'contoso'; Name = 'a'; TargetHost = '10.0.0.1'; TargetPort = 1001 }
            [pscustomobject]@{ Tenant = 'fabrikam'; Name = 'b'; TargetHost = '10.0.0.2'; TargetPort = 1002 }
        ) | Add-CloudTenantResource | Out-Null
        (Get-CloudTenantResource).Name | Should -Be @('a', 'b')
        'a' | Set-CloudTenantResource -Tenant contoso -Description 'by value'
        (Get-CloudTenantResource -Tenant contoso -Name a).Description | Should -Be 'by value'
        Get-CloudTenantResource -Tenant fabrikam | Set-CloudTenantResource -TargetPort 2002
        (Get-CloudTenantResource -Tenant fabrikam -Name b).TargetPort | Should -Be 2002
        Get-CloudTenantResource | Remove-CloudTenantResource -Confirm:$false
        Get-CloudTenantResource | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $null = Add-CloudTenantResource -Tenant contoso -Name repo1 -TargetHost 10.0.5.20 -TargetPort 2500
        $counter = (Get-CloudGatewayDatabase).ChangeCounter
        Add-CloudTenantResource -Tenant contoso -Name repo2 -TargetHost 10.0.5.21 -TargetPort 2500 -WhatIf
        Set-CloudTenantResource -Tenant contoso -Name repo1 -TargetPort 1 -WhatIf
        Remove-CloudTenantResource -Tenant contoso -Name repo1 -WhatIf
        (Get-CloudGatewayDatabase).ChangeCounter | Should -Be $counter
        (Get-CloudTenantResource).TargetPort | Should -Be 2500
    }

    It 'refuses a duplicate name for the same tenant but allows it for another' {
        $null = Add-CloudTenantResource -Tenant contoso -Name repo1 -TargetHost 10.0.5.20 -TargetPort 2500
        Add-CloudTenantResource -Tenant contoso -Name REPO1 -TargetHost 10.0.5.21 -TargetPort 2500 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'DuplicateName,CloudGateway.PowerShell.Commands.AddCloudTenantResourceCommand'
        { Add-CloudTenantResource -Tenant fabrikam -Name repo1 -TargetHost 10.0.6.20 -TargetPort 2500 -ErrorAction Stop } | Should -Not -Throw
    }

    It 'refuses a port outside 1-65535' {
        Add-CloudTenantResource -Tenant contoso -Name repo1 -TargetHost 10.0.5.20 -TargetPort 0 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidTargetPort,CloudGateway.PowerShell.Commands.AddCloudTenantResourceCommand'
    }

    It 'reports a resource of a tenant that does not exist' {
        Add-CloudTenantResource -Tenant nosuch -Name repo1 -TargetHost 10.0.5.20 -TargetPort 2500 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'NotFound,CloudGateway.PowerShell.Commands.AddCloudTenantResourceCommand'
    }
}
