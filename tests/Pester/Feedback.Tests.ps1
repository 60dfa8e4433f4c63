BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
}

Describe 'What the cmdlets tell an administrator besides their output' {
    BeforeEach {
        $script:database = Use-TestDatabase
    }

    It 'says with -Verbose which row a change wrote and which gateways it concerns, and nothing without it' {
        $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1
        # ShouldProcess says what it is about to do first; the change then says what it did.
        $lines = @(Disable-CloudGateway -Name gw1 -Verbose 4>&1 | Where-Object Message -NotLike 'Performing the operation*')
        $lines.Count | Should -Be 1
        $lines[0] | Should -BeOfType ([System.Management.Automation.VerboseRecord])
        $lines[0].Message | Should -Match "^Gateway 'gw1' \(row [0-9a-f-]{36}\) disabled: change \d+, which the relays pick up within 2 seconds; it concerns gateway\(s\) gw1\.$"
        Enable-CloudGateway -Name gw1 4>&1 | Should -BeNullOrEmpty
    }

    It 'warns about a tenant left without an enabled gateway of its pools, and keeps quiet with -WarningAction SilentlyContinue' {
        $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1
        $null = New-CloudGatewayPool -Name p1 -Gateway gw1 -Force
        $null = New-CloudTenant -Name acme -Password (ConvertTo-SecureString 'pester-acme-1' -AsPlainText -Force) -Pool p1
        $warnings = @(Disable-CloudGateway -Name gw1 3>&1)
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "No gateway of the pools of tenant 'acme' (p1) is enabled: it cannot connect*"
        Enable-CloudGateway -Name gw1 3>&1 | Should -BeNullOrEmpty
        Disable-CloudGateway -Name gw1 -WarningAction SilentlyContinue -WarningVariable quiet 3>&1 | Should -BeNullOrEmpty
        $quiet.Count | Should -Be 1
    }

    It 'warns when a relay is started for a gateway assigned to another server' {
        $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1 -Server elsewhere
        $null = New-CloudGatewayCertificate -IPAddress 127.0.0.1
        try {
            $null = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0 -WarningVariable warned -WarningAction SilentlyContinue
            $warned.Message | Should -BeLike "Gateway 'gw1' is assigned to server 'elsewhere', not this machine*"
        }
        finally {
            Stop-CloudGatewayRelay -DrainTimeout 0
        }
    }

    It 'shows an export as progress in this pwsh, completed at the end, and none when progress is silenced' {
        $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1
        $manifest = (Get-Module CloudGateway).Path
        $export = {
            param($Manifest, $Database, $Path, $Preference)
            Import-Module $Manifest
            $ProgressPreference = $Preference
            Connect-CloudGatewayDatabase -Path $Database -Confirm:$false
            Export-CloudGatewayConfiguration -Path $Path
        }
        $shown = [powershell]::Create()
        $silenced = [powershell]::Create()
        try {
            $null = $shown.AddScript($export).AddArgument($manifest).AddArgument($database).AddArgument((Join-Path $TestDrive 'shown.json')).AddArgument('Continue').Invoke()
            $null = $silenced.AddScript($export).AddArgument($manifest).AddArgument($database).AddArgument((Join-Path $TestDrive 'quiet.json')).AddArgument('SilentlyContinue').Invoke()
            $shown.Streams.Error | Should -BeNullOrEmpty
            $records = @($shown.Streams.Progress)
            $records.Activity | Select-Object -Unique | Should -Be 'Exporting the configuration'
            $records[-2].StatusDescription | Should -Be '1 of 1 entities written'
            $records[-1].RecordType | Should -Be 'Completed'
            $silenced.Streams.Progress.Count | Should -Be 0
            # In a real pwsh the engine lives in the module's own load context, unlike in the xunit host.
            $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'CloudGateway.Engine' }
            $engine.Location | Should -BeLike '*Dependencies*CloudGateway.Engine.dll'
            Test-Path (Join-Path $TestDrive 'quiet.json') | Should -BeTrue
        }
        finally {
            $shown.Dispose()
            $silenced.Dispose()
        }
    }
}
