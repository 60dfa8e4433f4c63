BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    . (Join-Path $PSScriptRoot 'TenantWorld.ps1')
    Import-CloudGatewayTestModule
}

Describe 'CloudTunnel cmdlets' {
    BeforeEach {
        $world = New-TenantWorld
        $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
    }

    AfterEach {
        Remove-TenantWorld $world
    }

    It 'starts a tunnel on a free port and carries bytes to the resource' {
        $tunnel = Start-CloudTunnel -Provider sp -Resource repo
        $tunnel.GetType().FullName | Should -Be 'CloudGateway.Tunnels.CloudTunnel'
        $tunnel.LocalEndPoint.Address.ToString() | Should -Be '127.0.0.1'
        $tunnel.LocalEndPoint.Port | Should -BeGreaterThan 0
        Invoke-Echo -EndPoint $tunnel.LocalEndPoint -Bytes ([byte[]](7, 8, 9)) | Should -Be @(7, 8, 9)
        $seen = Get-CloudTunnel -Id $tunnel.Id
        $seen.Connections | Should -Be 1
        $seen.BytesSent | Should -Be 3
        $seen.BytesReceived | Should -Be 3
        $seen.CurrentGateway | Should -Be 'gw-a'
    }

    It 'carries bytes in a resumable session with -Resumable, and shows it in the table' {
        $tunnel = Start-CloudTunnel sp repo -Resumable
        $tunnel.Resumable | Should -BeTrue
        Invoke-Echo -EndPoint $tunnel.LocalEndPoint -Bytes ([byte[]](4, 5, 6)) | Should -Be @(4, 5, 6)
        $seen = Get-CloudTunnel -Id $tunnel.Id
        ($seen.Connections, $seen.FailedConnections, $seen.Resumes) | Should -Be @(1, 0, 0)
        ($seen | Format-Table | Out-String -Width 250) | Should -Match 'Resumes'
    }

    It 'fails over for each new connection when a gateway is disabled on the provider side' {
        $tunnel = Start-CloudTunnel sp repo
        $null = Invoke-Echo -EndPoint $tunnel.LocalEndPoint
        Disable-CloudGateway -Name gw-a -Confirm:$false
        Wait-TestRelayConfiguration
        Invoke-Echo -EndPoint $tunnel.LocalEndPoint | Should -Be @(1, 2, 3)
        (Get-CloudTunnel -Id $tunnel.Id).CurrentGateway | Should -Be 'gw-b'
    }

    It 'refuses a local port already in use with InvalidLocalPort' {
        $first = Start-CloudTunnel sp repo
        { Start-CloudTunnel sp repo -LocalPort $first.LocalEndPoint.Port -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidLocalPort,CloudGateway.PowerShell.Commands.StartCloudTunnelCommand'
    }

    It 'reports NotFound for an unknown provider' {
        { Start-CloudTunnel -Provider nobody -Resource repo -ErrorAction Stop } |
            Should -Throw -ErrorId 'NotFound,CloudGateway.PowerShell.Commands.StartCloudTunnelCommand'
    }

    It 'starts nothing with -WhatIf' {
        Start-CloudTunnel sp repo -WhatIf
        Get-CloudTunnel | Should -BeNullOrEmpty
    }

    It 'stops by -Id and from the pipeline, and then refuses connections' {
        $one = Start-CloudTunnel sp repo
        $two = Start-CloudTunnel sp repo
        Stop-CloudTunnel -Id $one.Id -Confirm:$false
        $two | Stop-CloudTunnel -Confirm:$false
        Get-CloudTunnel | Should -BeNullOrEmpty
        { Invoke-Echo -EndPoint $one.LocalEndPoint } | Should -Throw
        { Stop-CloudTunnel -Id $one.Id -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NotFound,CloudGateway.PowerShell.Commands.StopCloudTunnelCommand'
    }
}
