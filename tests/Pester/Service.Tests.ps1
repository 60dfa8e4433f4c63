BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
}

# The systemd side runs everywhere Linux does: -UnitPath and -NoStart keep it inside $TestDrive.
Describe 'Service registration cmdlets' -Skip:(-not $IsLinux) {
    BeforeEach {
        $script:database = Use-TestDatabase
        $script:unit = Join-Path $TestDrive "$([guid]::NewGuid().ToString('N')).service"
    }

    It 'writes a unit that runs the module''s service on this session''s database' {
        $registration = Register-CloudGatewayService -UnitPath $script:unit -NoStart -Gateway gw1 -DrainTimeout 45 -Confirm:$false
        $registration.GetType().FullName | Should -Be 'CloudGateway.Hosting.ServiceRegistration'
        $registration.Started | Should -BeFalse
        $text = Get-Content -Raw $script:unit
        $text | Should -Match '(?m)^ExecStart=\S*/service/CloudGateway\.Service(\.dll)? .*--database'
        $text | Should -Match ([regex]::Escape($script:database))
        $text | Should -Match '--gateway gw1'
        $text | Should -Match '(?m)^TimeoutStopSec=60$'
        $text | Should -Match '(?m)^WantedBy=multi-user.target$'
    }

    It 'writes nothing with -WhatIf' {
        Register-CloudGatewayService -UnitPath $script:unit -NoStart -WhatIf | Should -BeNullOrEmpty
        Test-Path $script:unit | Should -BeFalse
    }

    It 'needs -Force to replace a unit' {
        $null = Register-CloudGatewayService -UnitPath $script:unit -NoStart -Confirm:$false
        { Register-CloudGatewayService -UnitPath $script:unit -NoStart -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ServiceExists,CloudGateway.PowerShell.Commands.RegisterCloudGatewayServiceCommand'
        $null = Register-CloudGatewayService -UnitPath $script:unit -NoStart -Force -User cloudgw -Confirm:$false
        Get-Content -Raw $script:unit | Should -Match '(?m)^User=cloudgw$'
    }

    It 'refuses an invalid service name' {
        { Register-CloudGatewayService -Name 'bad name' -UnitPath $script:unit -NoStart -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidName,CloudGateway.PowerShell.Commands.RegisterCloudGatewayServiceCommand'
    }

    It 'removes the unit, keeping it with -WhatIf' {
        $null = Register-CloudGatewayService -UnitPath $script:unit -NoStart -Confirm:$false
        Unregister-CloudGatewayService -UnitPath $script:unit -WhatIf
        Test-Path $script:unit | Should -BeTrue
        Unregister-CloudGatewayService -UnitPath $script:unit -Confirm:$false
        Test-Path $script:unit | Should -BeFalse
        { Unregister-CloudGatewayService -UnitPath $script:unit -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NotFound,CloudGateway.PowerShell.Commands.UnregisterCloudGatewayServiceCommand'
    }
}
