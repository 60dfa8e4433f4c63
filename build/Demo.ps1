#Requires -Version 7.4
<#
.SYNOPSIS
    Runs CloudGateway's main job on loopback: a service provider with two gateways in a pool, two tenants and an echo
    resource; a relay with metrics; a tenant tunnel carrying data; one gateway taken down and the next connection
    failing over. Prints what it measured, then cleans up.
.DESCRIPTION
    Called by `bash build.sh demo` and `./build.ps1 -Task Demo` after a build, against the packaged module in out/.
    Everything lives in a temporary folder and on 127.0.0.1; nothing is left behind.
#>
[CmdletBinding()]
param(
    # How much to push through the tunnel; CLOUDGATEWAY_DEMO_SIZE_MB sets it for `bash build.sh demo` (default 256).
    [ValidateRange(1, 4096)]
    [int] $SizeMB = $(if ($env:CLOUDGATEWAY_DEMO_SIZE_MB) { [int]$env:CLOUDGATEWAY_DEMO_SIZE_MB } else { 256 })
)

$ErrorActionPreference = 'Stop'
$manifest = Get-ChildItem (Join-Path $PSScriptRoot '../out/CloudGateway/*/CloudGateway.psd1') | Select-Object -Last 1
if (-not $manifest) { throw "No packaged module in out/: run 'bash build.sh' first." }
Import-Module $manifest.FullName

# An echo server standing for the SP's repository, and a pump that pushes bytes through a connection and reads them back.
Add-Type -TypeDefinition @'
namespace CloudGatewayDemo {
    using System; using System.Net; using System.Net.Sockets; using System.Threading.Tasks;
    public sealed class Echo {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        public int Port { get; }
        public Echo() { _listener.Start(); Port = ((IPEndPoint)_listener.LocalEndpoint).Port; _ = Task.Run(LoopAsync); }
        public void Stop() => _listener.Stop();
        private async Task LoopAsync() {
            while (true) {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); } catch (Exception) { return; }
                _ = Task.Run(async () => { using (client) { var s = client.GetStream(); var b = new byte[65536]; int n; while ((n = await s.ReadAsync(b, 0, b.Length)) > 0) await s.WriteAsync(b, 0, n); } });
            }
        }
    }
    public static class Pump {
        // Sends size bytes to the endpoint and reads them back; progress gets the bytes echoed so far.
        public static long Run(IPEndPoint endPoint, long size, Action<long> progress) {
            using var client = new TcpClient(); client.Connect(endPoint); var stream = client.GetStream();
            var send = Task.Run(async () => { var block = new byte[256 * 1024]; new Random(7).NextBytes(block); long left = size;
                while (left > 0) { var n = (int)Math.Min(block.Length, left); await stream.WriteAsync(block, 0, n); left -= n; } client.Client.Shutdown(SocketShutdown.Send); });
            var buffer = new byte[256 * 1024]; long got = 0; int read; long reported = 0;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) { got += read; if (got - reported >= 16L << 20) { progress(got); reported = got; } }
            send.Wait(); return got;
        }
    }
}
'@

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Show-Metrics([int] $Port) {
    $metrics = (Invoke-WebRequest -Uri "http://127.0.0.1:$Port/metrics" -UseBasicParsing).Content -split "`n"
    Write-Host 'Relay figures (from /metrics):'
    $metrics | Where-Object { $_ -match '^cloudgateway_gateway_(bytes_total|sessions_accepted_total)' } | ForEach-Object { Write-Host "  $_" }
}

$folder = Join-Path ([IO.Path]::GetTempPath()) "cloudgateway-demo-$PID"
$echo = [CloudGatewayDemo.Echo]::new()
try {
    Write-Host "CloudGateway demo in $folder (loopback only)"
    Connect-CloudGatewayDatabase -Path (Join-Path $folder 'demo.db') -Confirm:$false
    $null = Add-CloudGateway -Name gw-a -Address 127.0.0.1 -Port (Get-FreePort) -ListenAddress 127.0.0.1
    $null = Add-CloudGateway -Name gw-b -Address 127.0.0.1 -Port (Get-FreePort) -ListenAddress 127.0.0.1
    $null = New-CloudGatewayPool -Name premium -Gateway gw-a, gw-b
    $password = ConvertTo-SecureString 'demo-tenant-password' -AsPlainText -Force
    $null = New-CloudTenant -Name contoso -Password $password -Pool premium
    $null = New-CloudTenant -Name fabrikam -Password $password -Pool premium
    $null = Add-CloudTenantResource -Tenant contoso -Name repo -TargetHost 127.0.0.1 -TargetPort $echo.Port
    $null = Add-CloudTenantResource -Tenant fabrikam -Name repo -TargetHost 127.0.0.1 -TargetPort $echo.Port
    $thumbprint = (New-CloudGatewayCertificate -IPAddress 127.0.0.1).Thumbprint
    $metricsPort = Get-FreePort
    $relay = Start-CloudGatewayRelay -MetricsEndpoint $metricsPort -LogPath (Join-Path $folder 'relay.log')
    Write-Host "Relay running ($($relay.Engine) engine) on $($relay.Endpoints -join ', '); metrics at http://127.0.0.1:$metricsPort/metrics"

    $credential = [pscredential]::new('contoso', $password)
    $null = Add-CloudProvider -Name sp -Address 127.0.0.1 -Port (Get-CloudGateway gw-a).Port -Credential $credential -CertificateThumbprint $thumbprint
    $tunnel = Start-CloudTunnel -Provider sp -Resource repo
    Write-Host "Tenant contoso's tunnel listens on $($tunnel.LocalEndPoint) and goes through $((Get-CloudProvider sp).Gateways.Name -join ', ')"

    $size = [long]$SizeMB * 1MB
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $echoed = [CloudGatewayDemo.Pump]::Run($tunnel.LocalEndPoint, $size, [Action[long]] {
            param($done)
            Write-Progress -Activity 'Pushing data through the tunnel and the relay' -Status "$([math]::Round($done / 1MB)) of $SizeMB MiB echoed" -PercentComplete ([int](100 * $done / $size))
        })
    Write-Progress -Activity 'Pushing data through the tunnel and the relay' -Completed
    $seconds = $clock.Elapsed.TotalSeconds
    Write-Host ("Echoed {0} MiB each way in {1:N2} s ({2:N0} MiB/s) through {3}" -f ($echoed / 1MB), $seconds, ($echoed / 1MB / $seconds), (Get-CloudTunnel -Id $tunnel.Id).CurrentGateway)
    if ($echoed -ne $size) { throw "Only $echoed of $size bytes came back." }
    Show-Metrics $metricsPort

    Write-Host 'Taking gateway gw-a down (Disable-CloudGateway -Wait: its listener closes, its sessions drain); the next connection fails over:'
    $clock.Restart()
    Disable-CloudGateway -Name gw-a -Wait -Confirm:$false
    $null = [CloudGatewayDemo.Pump]::Run($tunnel.LocalEndPoint, 1MB, [Action[long]] { param($done) })
    $tunnelNow = Get-CloudTunnel -Id $tunnel.Id
    Write-Host ("  next connection through {0}, {1:N0} ms after the change ({2} tunnel connections, {3} failed)" -f $tunnelNow.CurrentGateway, $clock.Elapsed.TotalMilliseconds, $tunnelNow.Connections, $tunnelNow.FailedConnections)
    if ($tunnelNow.CurrentGateway -ne 'gw-b') { throw "The tunnel did not fail over to gw-b." }
    Show-Metrics $metricsPort
    Write-Host "Relay events logged: $(@(Get-CloudGatewayLog).Count) (Get-CloudGatewayLog -Tail 5 shows the last)"
}
finally {
    Get-CloudTunnel | Stop-CloudTunnel -Confirm:$false
    if (Get-CloudGatewayRelay) { Stop-CloudGatewayRelay -DrainTimeout 0 -Confirm:$false }
    $echo.Stop()
    Remove-Module CloudGateway -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue
    Write-Host 'Demo finished; its temporary folder is removed.'
}
