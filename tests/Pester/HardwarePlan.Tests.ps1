BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
}

Describe 'Hardware plan cmdlets' {
    BeforeEach {
        $null = Use-TestDatabase
    }

    It 'gives -Network internet access and -IsolatedNetwork none, assigning VLAN ids' {
        $plan = New-CloudHardwarePlan -Name Gold -Network prod, web -IsolatedNetwork backend -Description 'three tiers'
        $plan.GetType().FullName | Should -Be 'CloudGateway.Networking.HardwarePlan'
        $plan.Networks.Name | Should -Be @('prod', 'web', 'backend')
        $plan.Networks.InternetAccess | Should -Be @($true, $true, $false)
        $plan.Networks.VlanId | Should -Be @(2, 3, 4)
        $plan.Networks.BridgeName | Should -Be @('cgbr2', 'cgbr3', 'cgbr4')
        (Get-CloudHardwarePlan Gold).Description | Should -Be 'three tiers'
    }

    It 'keeps VLAN ids given as name:vlan' {
        $plan = New-CloudHardwarePlan -Name Silver -Network 'prod:100', web -IsolatedNetwork 'db:200'
        $plan.Networks.VlanId | Should -Be @(100, 2, 200)
    }

    It 'gets plans by wildcard, and a missing plain name is NotFound' {
        $null = New-CloudHardwarePlan -Name plan-a -Network a
        $null = New-CloudHardwarePlan -Name plan-b -Network b
        (Get-CloudHardwarePlan -Name 'plan-*').Name | Should -Be @('plan-a', 'plan-b')
        Get-CloudHardwarePlan -Name 'nomatch-*' | Should -BeNullOrEmpty
        Get-CloudHardwarePlan -Name missing -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'NotFound,CloudGateway.PowerShell.Commands.GetCloudHardwarePlanCommand'
    }

    It 'replaces the network list, keeping the VLAN ids of networks that stay' {
        $null = New-CloudHardwarePlan -Name Gold -Network prod, web -IsolatedNetwork backend
        $plan = Set-CloudHardwarePlan -Name Gold -Network prod -IsolatedNetwork web, backend, db -PassThru
        $plan.Networks.Name | Should -Be @('prod', 'web', 'backend', 'db')
        $plan.Networks.VlanId | Should -Be @(2, 3, 4, 5)
        $plan.Networks.InternetAccess | Should -Be @($true, $false, $false, $false)
    }

    It 'renames and describes through the pipeline' {
        $null = New-CloudHardwarePlan -Name Gold -Network prod
        Get-CloudHardwarePlan Gold | Set-CloudHardwarePlan -NewName Platinum -Description changed
        'Platinum' | Set-CloudHardwarePlan -Description 'by value'
        [pscustomobject]@{ Name = 'Platinum' } | Get-CloudHardwarePlan | Select-Object -ExpandProperty Description | Should -Be 'by value'
    }

    It 'refuses a duplicate name in any case' {
        $null = New-CloudHardwarePlan -Name Gold -Network prod
        New-CloudHardwarePlan -Name GOLD -Network web -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'DuplicateName,CloudGateway.PowerShell.Commands.NewCloudHardwarePlanCommand'
    }

    It 'refuses duplicate VLAN ids and names every problem' {
        New-CloudHardwarePlan -Name Gold -Network 'a:5', 'b:5', 'c:4095' -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidVlanId,CloudGateway.PowerShell.Commands.NewCloudHardwarePlanCommand'
        $failures[0].Exception.Problems.Count | Should -Be 2
        Get-CloudHardwarePlan | Should -BeNullOrEmpty
    }

    It 'refuses a plan without networks and a malformed VLAN id' {
        New-CloudHardwarePlan -Name Empty -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidNetwork,CloudGateway.PowerShell.Commands.NewCloudHardwarePlanCommand'
        New-CloudHardwarePlan -Name Bad -Network 'prod:x' -ErrorVariable failures2 -ErrorAction SilentlyContinue
        $failures2[0].FullyQualifiedErrorId | Should -Be 'InvalidNetwork,CloudGateway.PowerShell.Commands.NewCloudHardwarePlanCommand'
    }

    It 'refuses to remove a plan a tenant subscribes to, unless forced' {
        $password = ConvertTo-SecureString 'Sup3r-secret!' -AsPlainText -Force
        $null = New-CloudTenant -Name contoso -Password $password
        $null = New-CloudHardwarePlan -Name Gold -Network prod
        Set-CloudTenant -Name contoso -HardwarePlan Gold
        Remove-CloudHardwarePlan -Name Gold -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'HardwarePlanInUse,CloudGateway.PowerShell.Commands.RemoveCloudHardwarePlanCommand'
        Remove-CloudHardwarePlan -Name Gold -Force -Confirm:$false
        Get-CloudHardwarePlan | Should -BeNullOrEmpty
        (Get-DefaultGatewayConfiguration contoso).HardwarePlan | Should -BeNullOrEmpty
    }

    It 'removes plans from the pipeline' {
        $null = New-CloudHardwarePlan -Name a -Network x
        $null = New-CloudHardwarePlan -Name b -Network y
        Get-CloudHardwarePlan | Remove-CloudHardwarePlan -Confirm:$false
        Get-CloudHardwarePlan | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $null = New-CloudHardwarePlan -Name Gold -Network prod
        $counter = (Get-CloudGatewayDatabase).ChangeCounter
        New-CloudHardwarePlan -Name Silver -Network web -WhatIf
        Set-CloudHardwarePlan -Name Gold -IsolatedNetwork prod -WhatIf
        Remove-CloudHardwarePlan -Name Gold -WhatIf
        (Get-CloudGatewayDatabase).ChangeCounter | Should -Be $counter
        (Get-CloudHardwarePlan).Networks.InternetAccess | Should -Be @($true)
    }
}
