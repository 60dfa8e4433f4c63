# The cold Import-Module time of the packaged module, in a fresh pwsh (issue 18, bench/scale.sh runs it REPS times).
param([Parameter(Mandatory)] [string] $Module)
$watch = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Module
$watch.Stop()
'import_module_ms={0:0.0}' -f $watch.Elapsed.TotalMilliseconds
