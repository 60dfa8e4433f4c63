BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    . (Join-Path $PSScriptRoot 'ChildPwsh.ps1')
}

Describe 'The demo (bash build.sh demo)' {
    It 'runs the main job on loopback in a fresh pwsh: data through a tunnel, a failover, figures, and cleans up' {
        $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        # Folders an earlier, killed run left behind are not this run's to answer for.
        $before = @(Get-ChildItem ([IO.Path]::GetTempPath()) -Filter 'cloudgateway-demo-*' | ForEach-Object FullName)
        $result = Invoke-PwshProcess -ScriptPath (Join-Path $root 'build/Demo.ps1') -WorkingDirectory $root -TimeoutSeconds 180 -Environment @{ CLOUDGATEWAY_DEMO_SIZE_MB = '16' }
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        $text = $result.Output -join "`n"
        $text | Should -Match 'Echoed 16 MiB each way'
        $text | Should -Match 'next connection through gw-b'
        $text | Should -Match 'cloudgateway_gateway_bytes_total\{direction="in",gateway="gw-a"\} 16777216'
        $text | Should -Match 'its temporary folder is removed'
        Get-ChildItem ([IO.Path]::GetTempPath()) -Filter 'cloudgateway-demo-*' | Where-Object FullName -notin $before | Should -BeNullOrEmpty
    }
}
