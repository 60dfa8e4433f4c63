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

function Get-TestPostgresSetting {
    # The parts of $env:CLOUDGATEWAY_TEST_POSTGRES as a dictionary (keys lower case). The module keeps Npgsql in a
    # load context of its own, so its types are not visible to the session and the test must not need them.
    $builder = [System.Data.Common.DbConnectionStringBuilder]::new()
    $builder.set_ConnectionString($env:CLOUDGATEWAY_TEST_POSTGRES)  # a plain assignment would add a key named ConnectionString
    $settings = @{}
    foreach ($key in $builder.get_Keys()) { $settings[$key.ToLowerInvariant()] = [string]$builder[$key] }
    $settings
}

function Invoke-TestPostgres {
    # Runs one SQL statement on the test PostgreSQL with Debian's psql, outside the module under test.
    param([Parameter(Mandatory)][string] $Sql)
    $settings = Get-TestPostgresSetting
    $psql = Get-ChildItem -Path '/usr/lib/postgresql/*/bin/psql' -ErrorAction SilentlyContinue | Select-Object -Last 1
    if (-not $psql) { throw 'psql was not found under /usr/lib/postgresql; tests/postgres/start-postgres.sh installs it.' }
    $env:PGPASSWORD = $settings['password']
    try {
        $output = & $psql.FullName -h $settings['host'] -p $settings['port'] -U $settings['username'] -d $settings['database'] -v ON_ERROR_STOP=1 -qAt -c $Sql 2>&1
        if ($LASTEXITCODE -ne 0) { throw "psql failed ($LASTEXITCODE): $output" }
    } finally {
        Remove-Item Env:PGPASSWORD -ErrorAction SilentlyContinue
    }
}

function Wait-TestRelayConfiguration {
    # Waits until the relay of this session has applied the database's last change, instead of sleeping.
    param([int] $TimeoutSeconds = 10)
    $wanted = (Get-CloudGatewayDatabase).ChangeCounter
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ((Get-CloudGatewayRelay).ConfigurationVersion -lt $wanted) {
        if ([datetime]::UtcNow -gt $deadline) { throw "The relay did not apply change $wanted within $TimeoutSeconds s." }
        Start-Sleep -Milliseconds 20
    }
}
