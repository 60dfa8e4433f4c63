#Requires -Version 7.4
<#
.SYNOPSIS
    Runs tests/Pester against the packaged module in out/, with the Pester that build/tools/Pester.csproj restores.
.DESCRIPTION
    Called by `bash build.sh test` and `./build.ps1 -Task Test` in a child pwsh (a loaded module assembly cannot be
    unloaded). Exits non-zero when a test or a test file fails, when no test ran, or, under CI=true, when a test was
    skipped. The last line gives Pester's counts as "N passed, N failed".
#>
[CmdletBinding()]
param(
    [string] $Path = (Join-Path $PSScriptRoot '../tests/Pester'),
    [string] $PesterVersion = '5.9.1'
)

$ErrorActionPreference = 'Stop'
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$pester = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
if (-not (Test-Path $pester)) {
    throw "Pester $PesterVersion is not at ${pester}: run 'dotnet restore build/tools/Pester.csproj' first."
}
Import-Module $pester -RequiredVersion $PesterVersion

$configuration = New-PesterConfiguration
$configuration.Run.Path = (Resolve-Path $Path).Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.CIFormat = 'None'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputPath = Join-Path $PSScriptRoot '../TestResults/pester.xml'
$result = Invoke-Pester -Configuration $configuration

# A file whose test failed is marked failed too; only an error of its own (BeforeAll, AfterAll, a parse error) is "outside".
$failedContainers = @($result.Containers | Where-Object { $_.Result -eq 'Failed' -and $_.ErrorRecord.Count -gt 0 })
$skippedInCi = $env:CI -eq 'true' -and $result.SkippedCount -gt 0
foreach ($container in $failedContainers) {
    Write-Host "Pester: the file $($container.Item) failed outside its tests: $($container.ErrorRecord -join '; ')"
}
# Repeated at the end, where a CI log's tail is read: which tests failed, and why.
foreach ($test in $result.Failed) {
    Write-Host "Pester: FAILED $($test.ExpandedPath): $(($test.ErrorRecord | ForEach-Object { $_.ToString() }) -join '; ')"
}
if ($skippedInCi) {
    Write-Host "Pester: $($result.SkippedCount) test(s) skipped under CI=true, where every test must run:"
    $result.Skipped | ForEach-Object { Write-Host "  $($_.ExpandedPath)" }
}
Write-Host "Pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped ($($result.TotalCount) in $([int]$result.Duration.TotalSeconds) s)"
$ok = $result.FailedCount -eq 0 -and $failedContainers.Count -eq 0 -and $result.PassedCount -gt 0 -and -not $skippedInCi
exit ([int](-not $ok))
