BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule

    $script:TenantPassword = 'relay-pester-password'

    # The tenant's side of the wire protocol: TLS, one JSON hello line, one JSON answer line.
    function Connect-TestTenant {
        param([int] $Port, [string] $Thumbprint, [string] $Resource)
        $client = [System.Net.Sockets.TcpClient]::new()
        $client.Connect([System.Net.IPAddress]::Loopback, $Port)
        $validate = [System.Net.Security.RemoteCertificateValidationCallback] {
            param($sender, $certificate, $chain, $errors)
            $certificate.GetCertHashString('SHA256') -eq $Thumbprint
        }.GetNewClosure()
        $tls = [System.Net.Security.SslStream]::new($client.GetStream(), $false, $validate)
        $tls.AuthenticateAsClient('127.0.0.1')
        $hello = @{ version = 1; tenant = 'acme'; password = $script:TenantPassword; resource = $Resource } | ConvertTo-Json -Compress
        $bytes = [System.Text.Encoding]::UTF8.GetBytes($hello + "`n")
        $tls.Write($bytes, 0, $bytes.Length)
        $line = [System.Collections.Generic.List[byte]]::new()
        while (($next = $tls.ReadByte()) -ne 10) {
            if ($next -lt 0) { throw 'The gateway closed the connection before answering.' }
            $line.Add([byte]$next)
        }
        [pscustomobject]@{ Client = $client; Tls = $tls; Answer = [System.Text.Encoding]::UTF8.GetString($line.ToArray()) | ConvertFrom-Json }
    }

    function Test-PortOpen {
        param([int] $Port)
        $probe = [System.Net.Sockets.TcpClient]::new()
        try { $probe.Connect([System.Net.IPAddress]::Loopback, $Port); $true } catch { $false } finally { $probe.Dispose() }
    }
}

Describe 'Relay cmdlets' {
    BeforeEach {
        $null = Use-TestDatabase
        $script:backend = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $script:backend.Start()
        $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1
        $null = New-CloudTenant -Name acme -Password (ConvertTo-SecureString $script:TenantPassword -AsPlainText -Force)
        $null = Add-CloudTenantResource -Tenant acme -Name repo -TargetHost 127.0.0.1 -TargetPort $script:backend.LocalEndpoint.Port
        $script:certificate = New-CloudGatewayCertificate
    }

    AfterEach {
        if (Get-CloudGatewayRelay) { Stop-CloudGatewayRelay -DrainTimeout 0 -Confirm:$false }
        $script:backend.Stop()
    }

    It 'starts a relay on a free loopback port and reports the endpoint it bound' {
        $relay = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0
        $relay.GetType().FullName | Should -Be 'CloudGateway.Hosting.RelayStatus'
        $relay.State | Should -Be 'Running'
        $relay.Endpoints.Count | Should -Be 1
        $relay.Endpoints[0].Port | Should -BeGreaterThan 0
        $status = Get-CloudGatewayRelay
        $status.Gateways.Gateway | Should -Be @('gw1')
        $status.Gateways[0].Listening | Should -BeTrue
    }

    It 'reports a gateway whose port is taken as an error naming gateway and endpoint, and shows it in the status' {
        $squatter = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $squatter.Start()
        try {
            $taken = $squatter.LocalEndpoint.Port
            $relay = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort $taken -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'GatewayNotListening,CloudGateway.PowerShell.Commands.StartCloudGatewayRelayCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            "$($failures[0])" | Should -Match "Gateway 'gw1' could not listen on 127\.0\.0\.1:$taken"
            $relay.NotListening | Should -Be @('gw1')
            (Get-CloudGatewayRelay).NotListening | Should -Be @('gw1')
            (Get-CloudGatewayRelay | Format-Table | Out-String) | Should -Match 'NotListening'
        } finally {
            $squatter.Stop()
        }
    }

    It 'writes its events to -LogPath, read back as objects by Get-CloudGatewayLog' {
        $log = Join-Path $TestDrive 'logs/relay.log'
        $null = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0 -LogPath $log
        $listening = Get-CloudGatewayLog -EventId 10
        $listening.Count | Should -Be 1
        $listening[0].GetType().FullName | Should -Be 'CloudGateway.Logging.LogEntry'
        $listening[0].State['Gateway'] | Should -Be 'gw1'
        $listening[0].Level | Should -Be 'Information'
        @(Get-CloudGatewayLog -Path $log -Tail 1).Count | Should -Be 1
        (Get-CloudGatewayLog -Path $log | Format-Table | Out-String) | Should -Match 'EventId'
        if ($IsLinux) { (Get-Item $log).UnixMode | Should -Be '-rw-------' }
        Get-CloudGatewayLog -Path (Join-Path $TestDrive 'none.log') -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'NotFound,CloudGateway.PowerShell.Commands.GetCloudGatewayLogCommand'
    }

    It 'runs the engine it was asked for, and says which' {
        $relay = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0 -Engine Managed
        $relay.Engine | Should -Be 'Managed'
        Stop-CloudGatewayRelay -DrainTimeout 0 -Confirm:$false
        $automatic = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0
        $expected = if ($IsLinux -and (Test-Path /usr/lib/*/libssl.so.3)) { 'Native' } else { 'Managed' }
        $automatic.Engine | Should -Be $expected
    }

    It 'relays a tenant to its resource and shows the session' {
        $port = (Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0).Endpoints[0].Port
        $tenant = Connect-TestTenant -Port $port -Thumbprint $script:certificate.Thumbprint -Resource repo
        try {
            $tenant.Answer.accepted | Should -BeTrue
            $server = $script:backend.AcceptTcpClient()
            $payload = [byte[]](1..200)
            $tenant.Tls.Write($payload, 0, $payload.Length)
            $tenant.Tls.Flush()
            $received = [byte[]]::new(200)
            $filled = 0
            while ($filled -lt 200) { $filled += $server.GetStream().Read($received, $filled, 200 - $filled) }
            $received | Should -Be $payload

            $session = Get-CloudGatewaySession
            $session.GetType().FullName | Should -Be 'CloudGateway.Relay.RelaySessionInfo'
            $session.Tenant | Should -Be 'acme'
            $session.Resource | Should -Be 'repo'
            $session.Gateway | Should -Be 'gw1'
            Get-CloudGatewaySession -Tenant 'ac*' -Gateway gw1 | Should -Not -BeNullOrEmpty
            Get-CloudGatewaySession -Tenant other | Should -BeNullOrEmpty
            Get-CloudTenant acme | Get-CloudGatewaySession | Should -Not -BeNullOrEmpty
            (Get-CloudGatewayRelay).BytesIn | Should -BeGreaterOrEqual 200
            $server.Dispose()
        }
        finally {
            $tenant.Tls.Dispose()
        }
    }

    It 'serves metrics at /metrics and the status page at /status to the token only, with the bytes relayed' {
        $token = ConvertTo-SecureString 'pester-metrics-token' -AsPlainText -Force
        $relay = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0 -MetricsEndpoint 0 -MetricsBearerToken $token
        $relay.MetricsEndPoint.Address | Should -Be '127.0.0.1'
        $tenant = Connect-TestTenant -Port $relay.Endpoints[0].Port -Thumbprint $script:certificate.Thumbprint -Resource repo
        try {
            $tenant.Answer.accepted | Should -BeTrue
            $server = $script:backend.AcceptTcpClient()
            $payload = [byte[]](1..200)
            $tenant.Tls.Write($payload, 0, $payload.Length)
            $tenant.Tls.Flush()
            $received = [byte[]]::new(200)
            $filled = 0
            while ($filled -lt 200) { $filled += $server.GetStream().Read($received, $filled, 200 - $filled) }
            $server.Dispose()
        }
        finally {
            $tenant.Tls.Dispose()
        }

        $url = "http://$($relay.MetricsEndPoint)/metrics"
        $scrape = Invoke-WebRequest -Uri $url -Headers @{ Authorization = 'Bearer pester-metrics-token' }
        $scrape.StatusCode | Should -Be 200
        $scrape.Content | Should -Match '(?m)^cloudgateway_gateway_bytes_total\{direction="in",gateway="gw1"\} 200$'
        $scrape.Content | Should -Match '(?m)^cloudgateway_gateway_sessions_accepted_total\{gateway="gw1"\} 1$'
        $anonymous = Invoke-WebRequest -Uri $url -SkipHttpErrorCheck
        $anonymous.StatusCode | Should -Be 401
        $anonymous.Content | Should -Not -Match 'pester-metrics-token'

        $credential = [pscredential]::new('admin', (ConvertTo-SecureString 'pester-metrics-token' -AsPlainText -Force))
        $status = Invoke-WebRequest -Uri "http://$($relay.MetricsEndPoint)/status" -Credential $credential -Authentication Basic -AllowUnencryptedAuthentication
        $status.StatusCode | Should -Be 200
        $status.Headers['Content-Type'] | Should -Match '^text/html'
        $status.Content | Should -Match '<tr data-gateway="gw1">.*data-field="bytes-in" data-value="200"'
        $status.Content | Should -Not -Match 'pester-metrics-token'
    }

    It 'refuses a second relay in the same process' {
        $null = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0
        { Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0 -ErrorAction Stop } | Should -Throw -ErrorId 'RelayError,CloudGateway.PowerShell.Commands.StartCloudGatewayRelayCommand'
    }

    It 'starts nothing with -WhatIf' {
        Start-CloudGatewayRelay -Gateway gw1 -ListenPort 0 -WhatIf | Should -BeNullOrEmpty
        Get-CloudGatewayRelay | Should -BeNullOrEmpty
    }

    It 'fails to start without a certificate' {
        $null = Use-TestDatabase
        $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1
        { Start-CloudGatewayRelay -Gateway gw1 -ListenPort 0 -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateError,CloudGateway.PowerShell.Commands.StartCloudGatewayRelayCommand'
        Get-CloudGatewayRelay | Should -BeNullOrEmpty
    }

    It 'keeps running with Stop -WhatIf and stops with Stop' {
        $port = (Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0).Endpoints[0].Port
        Stop-CloudGatewayRelay -WhatIf
        (Get-CloudGatewayRelay).State | Should -Be 'Running'
        $final = Stop-CloudGatewayRelay -DrainTimeout 5 -PassThru -Confirm:$false
        $final.State | Should -Be 'Stopped'
        Get-CloudGatewayRelay | Should -BeNullOrEmpty
        Test-PortOpen -Port $port | Should -BeFalse
        { Stop-CloudGatewayRelay -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RelayError,CloudGateway.PowerShell.Commands.StopCloudGatewayRelayCommand'
    }

    It 'reports a wait that times out while the relay runs' {
        $null = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0
        { Wait-CloudGatewayRelay -Timeout 1 -ErrorAction Stop } | Should -Throw -ErrorId 'RelayError,CloudGateway.PowerShell.Commands.WaitCloudGatewayRelayCommand'
    }

    It 'stops the relay when the module is removed' {
        $port = (Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0).Endpoints[0].Port
        Test-PortOpen -Port $port | Should -BeTrue
        Remove-Module CloudGateway
        Test-PortOpen -Port $port | Should -BeFalse
        Import-CloudGatewayTestModule
    }
}

Describe 'A relay in this pwsh while other processes change its database' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'ChildPwsh.ps1')

        # Starts a child pwsh on a script, polls the relay's applied configuration version until the child has exited
        # and 2.5 s more, and returns how long after each of the child's commits the relay had it (in seconds).
        function Measure-RelayLag {
            param([string] $ScriptPath)
            $command = @(Get-PwshCommandLine) + @('-NoProfile', '-NonInteractive', '-File', $ScriptPath)
            $start = [System.Diagnostics.ProcessStartInfo]::new($command[0])
            foreach ($argument in $command | Select-Object -Skip 1) { $start.ArgumentList.Add($argument) }
            $start.RedirectStandardOutput = $true
            $start.UseShellExecute = $false
            $process = [System.Diagnostics.Process]::Start($start)
            $output = $process.StandardOutput.ReadToEndAsync()
            $seen = [System.Collections.Generic.List[object]]::new()
            $deadline = [datetime]::UtcNow.AddMinutes(3)
            while (-not $process.HasExited -and [datetime]::UtcNow -lt $deadline) {
                $seen.Add([pscustomobject]@{ Version = (Get-CloudGatewayRelay).ConfigurationVersion; Ticks = [datetime]::UtcNow.Ticks })
                Start-Sleep -Milliseconds 25
            }
            $process.WaitForExit(10000) | Should -BeTrue
            $process.ExitCode | Should -Be 0
            $until = [datetime]::UtcNow.AddSeconds(2.5)
            while ([datetime]::UtcNow -lt $until) {
                $seen.Add([pscustomobject]@{ Version = (Get-CloudGatewayRelay).ConfigurationVersion; Ticks = [datetime]::UtcNow.Ticks })
                Start-Sleep -Milliseconds 25
            }
            foreach ($line in $output.Result -split "`n" | Where-Object { $_ -match '^\d+ \d+' }) {
                $counter, $ticks = [long[]]($line.Trim() -split ' ')
                $first = $seen | Where-Object { $_.Version -ge $counter -and $_.Ticks -ge $ticks } | Select-Object -First 1
                if ($first) { [timespan]::FromTicks($first.Ticks - $ticks).TotalSeconds } else { [double]::PositiveInfinity }
            }
        }
    }

    AfterEach {
        if (Get-CloudGatewayRelay) { Stop-CloudGatewayRelay -DrainTimeout 0 -Confirm:$false }
    }

    It 'sees each of 100 changes made by two other pwsh processes within 2 s, and never loses the WAL it holds open' {
        $database = Use-TestDatabase
        $null = Add-CloudGateway -Name gw1 -Address 127.0.0.1
        $null = New-CloudTenant -Name acme -Password (ConvertTo-SecureString $script:TenantPassword -AsPlainText -Force)
        $null = New-CloudGatewayCertificate
        $null = Start-CloudGatewayRelay -Gateway gw1 -ListenAddress 127.0.0.1 -ListenPort 0
        $changes = Join-Path $TestDrive 'changes.ps1'
        Set-Content -Path $changes -Value @"
Import-Module '$(Get-CloudGatewayTestManifest)'
Connect-CloudGatewayDatabase -Path '$database' -Confirm:`$false
foreach (`$i in 1..50) {
    Set-CloudTenant -Name acme -Description "change `$i"
    '{0} {1}' -f (Get-CloudGatewayDatabase).ChangeCounter, [datetime]::UtcNow.Ticks
    Start-Sleep -Milliseconds 20
}
"@

        # The second process starts after the first has closed its last connection: with the lost-lock bug, that close
        # deleted the WAL under the relay, which then never saw another change.
        $lags = @(Measure-RelayLag $changes) + @(Measure-RelayLag $changes)

        $lags.Count | Should -Be 100
        $worst = ($lags | Measure-Object -Maximum).Maximum
        Write-Host ("Relay lag over 100 changes from two pwsh processes: median {0:F2} s, worst {1:F2} s" -f (($lags | Sort-Object)[50]), $worst)
        $worst | Should -BeLessOrEqual 2
        if ($IsLinux) {
            # A descriptor of an unlinked -wal or -shm file is what the lost-lock bug left behind.
            $held = Get-ChildItem "/proc/$PID/fd" | ForEach-Object { $_.LinkTarget } | Where-Object { $_ -like "$database*(deleted)" }
            $held | Should -BeNullOrEmpty
        }
    }
}
