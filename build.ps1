#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages and documents the CloudGateway module.
.DESCRIPTION
    Build compiles the solution. Test runs the xunit suite, then the Pester suite in a child pwsh 7.6.10 (the
    repository's .NET tool, `dotnet pwsh`; a loaded module assembly cannot be unloaded) with Pester 5.9.1 from NuGet,
    both restored here; it fails when a test fails or when pwsh or Pester cannot be set up. Package lays out
    out/CloudGateway/<version>/ through `dotnet publish` of the PowerShell project (the layout, help compiled from
    docs/cmdlets included, is build/Module.targets, shared with build.sh). Docs refreshes docs/cmdlets/*.md from the
    built module with platyPS, when it is installed. Reliability runs the long tests (Category=Long, a few minutes;
    the default Test task leaves them out): docs/reliability.md. Demo runs build/Demo.ps1: the relay, a tenant
    tunnel, a few hundred MB and a failover on loopback, then cleans up.
.EXAMPLE
    ./build.ps1 -Task Build, Package
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Docs', 'Reliability', 'Demo')]
    [string[]] $Task = @('Build', 'Package'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Invoke-Native {
    param([string] $Command, [string[]] $Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    ([xml](Get-Content -Raw (Join-Path $PSScriptRoot 'Directory.Build.props'))).Project.PropertyGroup.Version |
        Where-Object { $_ } | Select-Object -First 1
}

function Get-ModuleOutput { Join-Path $PSScriptRoot "out/CloudGateway/$(Get-ModuleVersion)" }

function Invoke-Build {
    Invoke-Native dotnet @('build', 'CloudGateway.sln', '-c', $Configuration, '--nologo', '-v', 'quiet')
}

function Invoke-Package {
    Invoke-Native dotnet @('publish', 'src/CloudGateway.PowerShell/CloudGateway.PowerShell.csproj', '-c', $Configuration, '--no-build', '--nologo', '-v', 'quiet')
}

function Invoke-Test {
    Invoke-Native dotnet @('test', 'tests/Unit/CloudGateway.Tests.csproj', '-c', $Configuration, '--no-build', '--nologo', '-v', 'quiet', '--logger', 'console;verbosity=normal', '--filter', 'Category!=Long')
    # The relay tests once more on the managed engine, which relays where the native engine cannot run.
    $env:CLOUDGATEWAY_TEST_RELAY_ENGINE = 'Managed'
    try {
        Invoke-Native dotnet @('test', 'tests/Unit/CloudGateway.Tests.csproj', '-c', $Configuration, '--no-build', '--nologo', '-v', 'quiet', '--logger', 'console;verbosity=normal', '--filter', 'Category!=Long&FullyQualifiedName~CloudGateway.Tests.Relay.')
    }
    finally {
        Remove-Item Env:CLOUDGATEWAY_TEST_RELAY_ENGINE
    }
    # pwsh is the repository's .NET tool and Pester comes from NuGet (build/tools/Pester.csproj), whatever pwsh runs
    # this script; a child pwsh, so the module loaded by the Pester tests never stays loaded in this session.
    Invoke-Native dotnet @('tool', 'restore')
    Invoke-Native dotnet @('restore', 'build/tools/Pester.csproj', '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'build/Invoke-PesterSuite.ps1'))
}

function Invoke-Reliability {
    # The long tests (docs/reliability.md): crash safety, leaks, soak, brute force and timing; a few minutes.
    Invoke-Native dotnet @('test', 'tests/Unit/CloudGateway.Tests.csproj', '-c', $Configuration, '--no-build', '--nologo', '-v', 'quiet', '--logger', 'console;verbosity=detailed', '--filter', 'Category=Long')
}

function Invoke-Docs {
    # Refreshes the existing pages from the packaged module and creates a page for any cmdlet that has none yet;
    # descriptions and examples written by hand are kept. Runs in a child pwsh so the module is not left loaded.
    if (-not (Get-Module -ListAvailable -Name platyPS)) { throw 'The Docs task needs platyPS: Install-Module platyPS.' }
    $manifest = Join-Path (Get-ModuleOutput) 'CloudGateway.psd1'
    $docs = Join-Path $PSScriptRoot 'docs/cmdlets'
    $script = @"
Import-Module platyPS
Import-Module '$manifest'
`$null = Update-MarkdownHelp -Path '$docs'
foreach (`$command in Get-Command -Module CloudGateway) {
    if (-not (Test-Path (Join-Path '$docs' "`$(`$command.Name).md"))) {
        `$null = New-MarkdownHelp -Command `$command.Name -OutputFolder '$docs'
    }
}
"@
    Invoke-Native (Get-Process -Id $PID).Path @('-NoProfile', '-NonInteractive', '-Command', $script)
}

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Cyan
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Build; Invoke-Package; Invoke-Test }
        'Package' { Invoke-Package }
        'Docs' { Invoke-Docs }
        'Reliability' { Invoke-Build; Invoke-Reliability }
        'Demo' { Invoke-Build; Invoke-Package; Invoke-Native dotnet @('tool', 'restore'); Invoke-Native dotnet @('pwsh', '-NoProfile', '-File', (Join-Path $PSScriptRoot 'build/Demo.ps1')) }
    }
}
