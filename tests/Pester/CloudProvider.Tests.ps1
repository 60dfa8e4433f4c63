BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    . (Join-Path $PSScriptRoot 'TenantWorld.ps1')
    Import-CloudGatewayTestModule
}

Describe 'CloudProvider cmdlets' {
    BeforeEach {
        $world = New-TenantWorld
    }

    AfterEach {
        Remove-TenantWorld $world
    }

    It 'adds a provider, fetching and storing the gateway list' {
        $provider = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint.ToLower() -Name sp
        $provider.GetType().FullName | Should -Be 'CloudGateway.Client.Providers.CloudProvider'
        $provider.Gateways.Name | Should -Be @('gw-a', 'gw-b')
        $provider.LastRefresh | Should -Not -BeNullOrEmpty
        $provider.CertificateThumbprint | Should -Be $world.Thumbprint.ToUpper()
        (Get-CloudProvider -Name SP).Gateways.Count | Should -Be 2
    }

    It 'never writes the password' {
        $provider = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
        ($provider | Format-List * | Out-String) | Should -Not -Match 'tenant-password-1'
        ($provider | ConvertTo-Json -Depth 5) | Should -Not -Match 'tenant-password-1'
    }

    It 'accepts a thumbprint with colons and refuses a malformed one with InvalidCertificateThumbprint' {
        $colons = ($world.Thumbprint -split '(..)' -ne '') -join ':'
        { Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $colons -Name ok } | Should -Not -Throw
        { Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint 'abc' -Name bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCertificateThumbprint,CloudGateway.PowerShell.Commands.AddCloudProviderCommand'
    }

    It 'fails with CertificateMismatch on a wrong thumbprint and stores nothing' {
        { Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint ('0' * 64) -Name sp -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateMismatch,CloudGateway.PowerShell.Commands.AddCloudProviderCommand'
        Get-CloudProvider | Should -BeNullOrEmpty
    }

    It 'fails with Refused on a wrong password and stores nothing' {
        $wrong = [pscredential]::new('acme', (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        { Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $wrong -CertificateThumbprint $world.Thumbprint -Name sp -ErrorAction Stop } |
            Should -Throw -ErrorId 'Refused,CloudGateway.PowerShell.Commands.AddCloudProviderCommand'
        Get-CloudProvider | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp -WhatIf
        Get-CloudProvider | Should -BeNullOrEmpty
        $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
        Set-CloudProvider -Name sp -Port 1 -WhatIf
        Remove-CloudProvider -Name sp -WhatIf
        (Get-CloudProvider sp).Port | Should -Be $world.FirstPort
    }

    It 'gets by wildcard and reports NotFound for an unknown name' {
        $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp-one
        (Get-CloudProvider -Name 'sp-*').Name | Should -Be 'sp-one'
        Get-CloudProvider -Name 'nomatch*' | Should -BeNullOrEmpty
        { Get-CloudProvider -Name missing -ErrorAction Stop } | Should -Throw -ErrorId 'NotFound,CloudGateway.PowerShell.Commands.GetCloudProviderCommand'
    }

    It 'sets fields by name and from the pipeline' {
        $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
        (Set-CloudProvider -Name sp -NewName sp2 -PassThru).Name | Should -Be 'sp2'
        (Get-CloudProvider sp2 | Set-CloudProvider -CertificateThumbprint '' -PassThru).CertificateThumbprint | Should -BeNullOrEmpty
        { Set-CloudProvider -Name sp2 -Port 70000 -ErrorAction Stop } | Should -Throw
    }

    It 'refreshes the list after a gateway is added on the provider side' {
        $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
        $null = Add-CloudGateway -Name gw-c -Address 127.0.0.1 -Port (Get-FreeLoopbackPort) -ListenAddress 127.0.0.1
        $null = Set-CloudGatewayPool -Name p1 -Gateway gw-a, gw-b, gw-c
        Wait-TestRelayConfiguration
        (Update-CloudProvider -Name sp -PassThru).Gateways.Name | Should -Be @('gw-a', 'gw-b', 'gw-c')
        'sp' | Get-CloudProvider | Select-Object -ExpandProperty LastRefresh | Should -Not -BeNullOrEmpty
    }

    It 'tests each gateway and answers -Quiet' {
        $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
        $results = Test-CloudProviderConnection -Name sp
        $results.Count | Should -Be 2
        $results | ForEach-Object {
            $_.Passed | Should -BeTrue
            $_.TlsProtocol | Should -BeIn @('Tls12', 'Tls13')
            $_.CertificateThumbprint | Should -Be $world.Thumbprint.ToUpper()
            $_.CertificateExpires | Should -BeGreaterThan (Get-Date)
            $_.Latency | Should -Not -BeNullOrEmpty
        }
        Test-CloudProviderConnection -Name sp -Quiet | Should -BeTrue
        Disable-CloudGateway -Name gw-a, gw-b -Confirm:$false
        Wait-TestRelayConfiguration
        Get-CloudProvider sp | Test-CloudProviderConnection -Quiet | Should -BeFalse
    }

    # Found by an outside probe: a missing key file was replaced by a new key, and the passwords already sealed became unreadable.
    It 'refuses a new key beside the database while secrets sealed under the missing one remain' {
        $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
        $path = (Get-CloudGatewayDatabase).Path
        Move-Item "$path.key" "$path.key.elsewhere"
        Connect-CloudGatewayDatabase -Path $path -Confirm:$false

        $thrown = { Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'StoreUnavailable,CloudGateway.PowerShell.Commands.AddCloudProviderCommand' -PassThru
        "$thrown" | Should -BeLike "*'$path.key' does not exist*the password of provider 'sp'*Put back the key file*"
        "$thrown" | Should -Not -BeLike '*tenant-password-1*'
        Test-Path "$path.key" | Should -BeFalse
        (Get-CloudProvider).Name | Should -Be 'sp'

        Move-Item "$path.key.elsewhere" "$path.key"
        $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp2
        Test-CloudProviderConnection -Name sp -Quiet | Should -BeTrue
    }

    It 'removes providers from the pipeline' {
        $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
        Get-CloudProvider | Remove-CloudProvider -Confirm:$false
        Get-CloudProvider | Should -BeNullOrEmpty
        { Remove-CloudProvider -Name sp -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NotFound,CloudGateway.PowerShell.Commands.RemoveCloudProviderCommand'
    }
}

Describe 'CloudProvider cmdlets on PostgreSQL' -Skip:(-not $env:CLOUDGATEWAY_TEST_POSTGRES) {
    BeforeAll {
        # A schema of its own, so the test starts empty and leaves nothing behind; the passwords' key in the test drive.
        $script:schema = "cgpester_$([guid]::NewGuid().ToString('N').Substring(0, 16))"
        Invoke-TestPostgres -Sql "CREATE SCHEMA $schema"
        $script:connectionString = "$env:CLOUDGATEWAY_TEST_POSTGRES;Search Path=$schema"
        $script:keyFileBefore = $env:CLOUDGATEWAY_KEY_FILE
        $env:CLOUDGATEWAY_KEY_FILE = Join-Path $TestDrive 'shared.key'
    }

    AfterAll {
        $env:CLOUDGATEWAY_KEY_FILE = $keyFileBefore
        $null = Use-TestDatabase
        Invoke-TestPostgres -Sql "DROP SCHEMA IF EXISTS $schema CASCADE"
    }

    It 'adds, gets and removes a provider in the PostgreSQL database the session is connected to' {
        $world = New-TenantWorld
        try {
            Connect-CloudGatewayDatabase -ConnectionString $connectionString -Confirm:$false
            $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
            (Get-CloudProvider -Name SP).Gateways.Name | Should -Be @('gw-a', 'gw-b')

            $null = Use-TestDatabase
            Get-CloudProvider | Should -BeNullOrEmpty
            Connect-CloudGatewayDatabase -ConnectionString $connectionString -Confirm:$false

            Test-CloudProviderConnection -Name sp -Quiet | Should -BeTrue
            Remove-CloudProvider -Name sp -Confirm:$false
            Get-CloudProvider | Should -BeNullOrEmpty
        }
        finally {
            Remove-TenantWorld $world
        }
    }

    # Found by an outside probe: with CLOUDGATEWAY_KEY_FILE mistyped, Add-CloudProvider created a new key file and sealed
    # the new password under it, so the passwords sealed under the real key could no longer be read.
    It 'refuses a new key when CLOUDGATEWAY_KEY_FILE names a missing file or a directory while the database holds sealed passwords' {
        $world = New-TenantWorld
        try {
            Connect-CloudGatewayDatabase -ConnectionString $connectionString -Confirm:$false
            $null = Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp
            $mistyped = Join-Path $TestDrive 'shraed.key'
            $env:CLOUDGATEWAY_KEY_FILE = $mistyped
            Connect-CloudGatewayDatabase -ConnectionString $connectionString -Confirm:$false

            $thrown = { Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp2 -ErrorAction Stop } |
                Should -Throw -ErrorId 'StoreUnavailable,CloudGateway.PowerShell.Commands.AddCloudProviderCommand' -PassThru
            "$thrown" | Should -BeLike "*'$mistyped' named by CLOUDGATEWAY_KEY_FILE does not exist*the password of provider 'sp'*Set CLOUDGATEWAY_KEY_FILE to the path of the key file that encrypted them*"
            "$thrown" | Should -Not -BeLike '*tenant-password-1*'
            Test-Path $mistyped | Should -BeFalse

            $env:CLOUDGATEWAY_KEY_FILE = $TestDrive
            Connect-CloudGatewayDatabase -ConnectionString $connectionString -Confirm:$false
            $thrown = { Add-CloudProvider -Address 127.0.0.1 -Port $world.FirstPort -Credential $world.Credential -CertificateThumbprint $world.Thumbprint -Name sp2 -ErrorAction Stop } |
                Should -Throw -ErrorId 'StoreUnavailable,CloudGateway.PowerShell.Commands.AddCloudProviderCommand' -PassThru
            "$thrown" | Should -BeLike "*'$TestDrive' named by CLOUDGATEWAY_KEY_FILE is a directory, not a key file*"
            (Get-CloudProvider).Name | Should -Be 'sp'
        }
        finally {
            $env:CLOUDGATEWAY_KEY_FILE = Join-Path $TestDrive 'shared.key'
            Connect-CloudGatewayDatabase -ConnectionString $connectionString -Confirm:$false
            Get-CloudProvider | Remove-CloudProvider -Confirm:$false
            Remove-TenantWorld $world
        }
    }
}
