# One import of an exported configuration into a database (replacing what it holds), in a fresh pwsh (issue 18, bench/scale.sh runs it):
# the time of Import-CloudGatewayConfiguration and this process's peak resident memory before and after it.
# -ConnectionString imports into a PostgreSQL database instead of the SQLite file -Database.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Document,
    [string] $Database,
    [string] $ConnectionString
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
if ($ConnectionString) { Connect-CloudGatewayDatabase -ConnectionString $ConnectionString } else { Connect-CloudGatewayDatabase -Path $Database }
$process = [Diagnostics.Process]::GetCurrentProcess()
$peakBefore = $process.PeakWorkingSet64
$watch = [Diagnostics.Stopwatch]::StartNew()
Import-CloudGatewayConfiguration -Path $Document -Confirm:$false -ProgressAction SilentlyContinue
$watch.Stop()
$process.Refresh()
$tenants = @(Get-CloudTenant).Count
'import_ms={0:0.0} import_tenants={1} import_peak_rss_mib={2:0.0} import_peak_rss_before_mib={3:0.0}' -f $watch.Elapsed.TotalMilliseconds, $tenants, ($process.PeakWorkingSet64 / 1MB), ($peakBefore / 1MB)
