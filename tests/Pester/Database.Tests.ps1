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
