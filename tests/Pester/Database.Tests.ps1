BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
}

Describe 'Connect-CloudGatewayDatabase and Get-CloudGatewayDatabase' {
    It 'creates the file on first use and reports it' {
        $path = Join-Path $TestDrive 'first.db'
        $info = Connect-CloudGatewayDatabase -Path $path -PassThru -Confirm:$false
        Test-Path $path | Should -BeTrue
        $info.GetType().FullName | Should -Be 'CloudGateway.Storage.DatabaseInfo'
        $info.Path | Should -Be $path
        $info.SchemaVersion | Should -BeGreaterThan 0
        (Get-CloudGatewayDatabase).Path | Should -Be $path
    }

    It 'reports a change counter that grows with every change' {
        $null = Use-TestDatabase
        $before = (Get-CloudGatewayDatabase).ChangeCounter
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        (Get-CloudGatewayDatabase).ChangeCounter | Should -BeGreaterThan $before
    }

    It 'switches between files, each keeping its own configuration' {
        $a = Use-TestDatabase
        $null = Add-CloudGateway -Name only-in-a -Address a.example.net
        $null = Use-TestDatabase
        Get-CloudGateway | Should -BeNullOrEmpty
        Connect-CloudGatewayDatabase -Path $a -Confirm:$false
        (Get-CloudGateway).Name | Should -Be 'only-in-a'
    }

    It 'takes the path from the pipeline by property name' {
        $path = Join-Path $TestDrive 'piped.db'
        $info = [pscustomobject]@{ Path = $path } | Connect-CloudGatewayDatabase -PassThru -Confirm:$false
        $info.Path | Should -Be $path
    }

    It 'changes nothing with -WhatIf' {
        $current = Use-TestDatabase
        $other = Join-Path $TestDrive 'never.db'
        Connect-CloudGatewayDatabase -Path $other -WhatIf
        Test-Path $other | Should -BeFalse
        (Get-CloudGatewayDatabase).Path | Should -Be $current
    }

    It 'refuses a file that is not a CloudGateway database and leaves it untouched' {
        $path = Join-Path $TestDrive 'notes.db'
        Set-Content -Path $path -Value 'just some text, not SQLite'
        $before = Get-FileHash $path
        { Connect-CloudGatewayDatabase -Path $path -Confirm:$false } |
            Should -Throw -ErrorId 'NotAConfigurationDatabase,CloudGateway.PowerShell.Commands.ConnectCloudGatewayDatabaseCommand'
        (Get-FileHash $path).Hash | Should -Be $before.Hash
    }
}

Describe 'Connect-CloudGatewayDatabase -ConnectionString' {
    It 'refuses a malformed connection string without echoing it' {
        $current = Use-TestDatabase
        $err = $null
        Connect-CloudGatewayDatabase -ConnectionString 'Host=db1;Password=Pester-S3cret;Bogus Key=1' -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidConnectionString,CloudGateway.PowerShell.Commands.ConnectCloudGatewayDatabaseCommand'
        "$($err[0])" | Should -Not -Match 'Pester-S3cret'
        (Get-CloudGatewayDatabase).Path | Should -Be $current
    }

    It 'changes nothing with -WhatIf and never shows the password' {
        $current = Use-TestDatabase
        $output = Connect-CloudGatewayDatabase -ConnectionString 'Host=127.0.0.1;Port=1;Database=cg;Username=cg;Password=Pester-S3cret' -WhatIf 6>&1 *>&1 | Out-String
        $output | Should -Not -Match 'Pester-S3cret'
        (Get-CloudGatewayDatabase).Path | Should -Be $current
    }

    It 'connects to PostgreSQL with -Credential and shows the database without its password' -Skip:(-not $env:CLOUDGATEWAY_TEST_POSTGRES) {
        $settings = Get-TestPostgresSetting
        $password = ConvertTo-SecureString $settings['password'] -AsPlainText -Force
        $credential = [pscredential]::new($settings['username'], $password)
        $withoutPassword = "Host=$($settings['host']);Port=$($settings['port']);Database=$($settings['database'])"
        $info = Connect-CloudGatewayDatabase -ConnectionString $withoutPassword -Credential $credential -PassThru -Confirm:$false
        $info.Path | Should -Not -Match ([regex]::Escape($credential.GetNetworkCredential().Password))
        $info.SchemaVersion | Should -BeGreaterThan 0
        (Get-CloudGatewayDatabase).Path | Should -Be $info.Path
    }
}

Describe 'Secrets at rest' {
    BeforeAll {
        $script:ownerOnly = [System.IO.UnixFileMode]'UserRead, UserWrite'
        $script:worldReadable = [System.IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead'
    }

    It 'creates the database, its -wal and -shm and the folders it makes owner-only' -Skip:$IsWindows {
        $folder = Join-Path $TestDrive 'made/for/it'
        $path = Join-Path $folder 'cg.db'
        Connect-CloudGatewayDatabase -Path $path -Confirm:$false -WarningVariable warned
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        foreach ($file in $path, "$path-wal", "$path-shm") {
            [System.IO.File]::GetUnixFileMode($file) | Should -Be $ownerOnly -Because $file
        }
        [System.IO.File]::GetUnixFileMode($folder) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        [System.IO.File]::GetUnixFileMode((Join-Path $TestDrive 'made')) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        $warned | Should -BeNullOrEmpty
    }

    It 'warns on connecting to a database other users may read' -Skip:$IsWindows {
        $path = Use-TestDatabase
        $null = Use-TestDatabase
        [System.IO.File]::SetUnixFileMode($path, $worldReadable)
        Connect-CloudGatewayDatabase -Path $path -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        # SQLite opens the -wal and -shm with the mode of the database file.
        $warned.Message | Should -Be @($path, "$path-wal", "$path-shm" | ForEach-Object {
                "'$_' may be read by other users (mode 0644) and holds the tenants' password hashes and the gateways' certificate; restrict it to its owner (chmod 600)."
            })
    }

    It 'warns at relay start when the database or its key file may be read by others' -Skip:$IsWindows {
        $path = Use-TestDatabase
        $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1
        $null = New-CloudGatewayCertificate -IPAddress 127.0.0.1
        [System.IO.File]::SetUnixFileMode($path, $worldReadable)
        try {
            $null = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0 -WarningVariable warned -WarningAction SilentlyContinue
            @($warned | Where-Object Message -Like "'$path' may be read by other users (mode 0644)*").Count | Should -Be 1
        }
        finally {
            Stop-CloudGatewayRelay -DrainTimeout 0 -Confirm:$false
        }
    }

    It 'keeps the private key encrypted under the owner-only key file beside the database, naming it when it is missing' {
        $path = Use-TestDatabase
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        $null = New-CloudGatewayCertificate
        Test-Path "$path.key" | Should -BeTrue
        if (-not $IsWindows) { [System.IO.File]::GetUnixFileMode("$path.key") | Should -Be $ownerOnly }
        Remove-Item "$path.key"
        Connect-CloudGatewayDatabase -Path $path -Confirm:$false
        $thrown = { Get-CloudGatewayCertificate } | Should -Throw -ErrorId 'StoreUnavailable,CloudGateway.PowerShell.Commands.GetCloudGatewayCertificateCommand' -PassThru
        "$thrown" | Should -BeLike "*'$path.key' does not exist*New-CloudGatewayCertificate -Force*"
    }
}
