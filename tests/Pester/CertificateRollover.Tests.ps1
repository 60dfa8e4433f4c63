BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    . (Join-Path $PSScriptRoot 'TenantWorld.ps1')
    Import-CloudGatewayTestModule
}

# The SP side rotates its certificate with the gateway cmdlets while a relay of this session runs; the tenant side
# (a provider pinned to the first certificate, in the same database) is never touched by hand unless the test says so.
Describe 'Certificate rollover' {
    BeforeEach {
        $world = New-TenantWorld
        $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
    }

    AfterEach {
        Remove-TenantWorld $world
    }

    It 'keeps a pinned tenant transferring through staging, switch and rollback with no tenant-side command' {
        $tunnel = Start-CloudTunnel -Provider sp -Resource repo
        Invoke-Echo -EndPoint $tunnel.LocalEndPoint -Bytes ([byte[]](1, 2)) | Should -Be @(1, 2)

        $next = New-CloudGatewayCertificate -IPAddress 127.0.0.1 -Next -Confirm:$false
        $next.Role | Should -Be 'Next'
        Wait-TestRelayConfiguration
        Invoke-Echo -EndPoint $tunnel.LocalEndPoint -Bytes ([byte[]](3, 4)) | Should -Be @(3, 4)
        $provider = Get-CloudProvider -Name sp
        $provider.CertificateThumbprint | Should -Be $world.Thumbprint
        $provider.NextCertificateThumbprint | Should -Be $next.Thumbprint
        $provider.NextCertificateLearned | Should -Not -BeNullOrEmpty
        $staged = Get-CloudGatewayCertificate | Where-Object Role -eq Next
        $staged.Thumbprint | Should -Be $next.Thumbprint
        $staged.TenantsLearned | Should -Be 1
        $staged.TenantCount | Should -Be 1

        $active = Switch-CloudGatewayCertificate -Confirm:$false -WarningVariable warnings
        $active.Thumbprint | Should -Be $next.Thumbprint
        $warnings | Should -BeNullOrEmpty
        Wait-TestRelayConfiguration
        (Get-CloudGatewayRelay).CertificateThumbprint | Should -Be $next.Thumbprint
        Invoke-Echo -EndPoint $tunnel.LocalEndPoint -Bytes ([byte[]](5, 6)) | Should -Be @(5, 6)
        (Get-CloudGatewayCertificate).Role | Should -Be @('Active', 'Previous')
        (Get-CloudProvider -Name sp).CertificateThumbprint | Should -Be $next.Thumbprint

        $null = Switch-CloudGatewayCertificate -Previous -Confirm:$false
        Wait-TestRelayConfiguration
        (Get-CloudGatewayRelay).CertificateThumbprint | Should -Be $world.Thumbprint
        Invoke-Echo -EndPoint $tunnel.LocalEndPoint -Bytes ([byte[]](7, 8)) | Should -Be @(7, 8)
        (Get-CloudGatewayCertificate | Where-Object Role -eq Active).Thumbprint | Should -Be $world.Thumbprint
        (Get-CloudTunnel -Id $tunnel.Id).Connections | Should -Be 4
    }

    It 'fails a tenant that missed the successor before it logs on, naming both thumbprints and the fix' {
        $next = New-CloudGatewayCertificate -IPAddress 127.0.0.1 -Next -Confirm:$false
        $null = Switch-CloudGatewayCertificate -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Match '1 of 1 tenant'
        Wait-TestRelayConfiguration

        $thrown = { Update-CloudProvider -Name sp -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateMismatch,CloudGateway.PowerShell.Commands.UpdateCloudProviderCommand' -PassThru
        $thrown.Exception.Message | Should -BeLike "*thumbprint $($next.Thumbprint), not the pinned $($world.Thumbprint)*"
        $thrown.Exception.Message | Should -BeLike "*Set-CloudProvider -Name 'sp' -CertificateThumbprint $($next.Thumbprint)*"
        (Get-CloudTenant -Name acme).FailedLogonCount | Should -Be 0

        Set-CloudProvider -Name sp -CertificateThumbprint $next.Thumbprint -Confirm:$false
        (Update-CloudProvider -Name sp -PassThru).CertificateThumbprint | Should -Be $next.Thumbprint
    }

    It 'changes nothing with -WhatIf, and says what is missing without a successor or a previous certificate' {
        { Switch-CloudGatewayCertificate -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NotFound,CloudGateway.PowerShell.Commands.SwitchCloudGatewayCertificateCommand'
        { Switch-CloudGatewayCertificate -Previous -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NotFound,CloudGateway.PowerShell.Commands.SwitchCloudGatewayCertificateCommand'
        { New-CloudGatewayCertificate -IPAddress 127.0.0.1 -Next -Confirm:$false; New-CloudGatewayCertificate -IPAddress 127.0.0.1 -Next -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateExists,CloudGateway.PowerShell.Commands.NewCloudGatewayCertificateCommand'

        Switch-CloudGatewayCertificate -WhatIf
        (Get-CloudGatewayCertificate | Where-Object Role -eq Active).Thumbprint | Should -Be $world.Thumbprint
        (Get-CloudGatewayCertificate).Role | Should -Be @('Active', 'Next')
    }
}
