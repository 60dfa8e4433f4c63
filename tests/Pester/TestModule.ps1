# Dot-sourced by every *.Tests.ps1: imports the packaged module from out/ (bash build.sh or ./build.ps1 lays it out)
# and gives each test a fresh database under $TestDrive.

function Get-CloudGatewayTestManifest {
    # The manifest of the newest packaged module in out/, for this session and for child processes.
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $manifest = Get-ChildItem -Path (Join-Path $root 'out/CloudGateway/*/CloudGateway.psd1') -ErrorAction SilentlyContinue |
        Sort-Object { [version]$_.Directory.Name } |
        Select-Object -Last 1
    if (-not $manifest) { throw "No packaged module under $root/out/CloudGateway: run 'bash build.sh' or './build.ps1 -Task Build, Package' first." }
    $manifest.FullName
}

function Import-CloudGatewayTestModule {
    Import-Module (Get-CloudGatewayTestManifest) -Force -ErrorAction Stop
}

function Use-TestDatabase {
    $path = Join-Path $TestDrive "$([guid]::NewGuid().ToString('N')).db"
    Connect-CloudGatewayDatabase -Path $path -Confirm:$false
    $path
}
