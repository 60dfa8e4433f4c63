# The cmdlets on a large configuration (issue 18, bench/scale.sh runs it): each read of everything and one change,
# REPS times in one session after one warm-up call, printed as one line of key=value fields (milliseconds; median and every run).
# Export-CloudGatewayConfiguration writes to -ExportPath, so the import measurement can read the document back.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Database,
    [Parameter(Mandatory)] [string] $Tenant,
    [Parameter(Mandatory)] [string] $ExportPath,
    [int] $Reps = 5
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
Connect-CloudGatewayDatabase -Path $Database
$script:change = 0

function Measure-Median([string] $Name, [scriptblock] $Work) {
    $null = & $Work   # warm-up: the first call of a cmdlet compiles it
    $runs = foreach ($i in 1..$Reps) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $count = @(& $Work).Count
        $watch.Stop()
        $watch.Elapsed.TotalMilliseconds
    }
    $sorted = @($runs | Sort-Object)
    $median = $sorted[[math]::Floor($sorted.Count / 2)]
    '{0}_ms={1:0.0} {0}_objects={2} {0}_runs={3}' -f $Name, $median, $count, (($runs | ForEach-Object { '{0:0.0}' -f $_ }) -join ',')
}

$fields = @(
    Measure-Median 'get_tenant_all' { Get-CloudTenant }
    Measure-Median 'get_tenant_a_star' { Get-CloudTenant -Name 'a*' }
    Measure-Median 'get_tenant_resource' { Get-CloudTenantResource -Tenant $Tenant }
    Measure-Median 'get_tenant_resource_all' { Get-CloudTenantResource }
    Measure-Median 'set_tenant' { $script:change++; Set-CloudTenant -Name $Tenant -Description "changed $script:change" -Confirm:$false }
    Measure-Median 'export' { Export-CloudGatewayConfiguration -Path $ExportPath -Confirm:$false }
)
$fields -join ' '
