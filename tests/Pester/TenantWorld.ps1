# Dot-sourced by CloudProvider.Tests.ps1 and CloudTunnel.Tests.ps1: builds a service provider on loopback inside
# the test's own database (certificate, gateways on free ports, a pool, a tenant, an echo resource, a running
# relay), so the tenant-side cmdlets can be exercised against the real relay.

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-EchoServer {
    if (-not ('CloudGatewayPester.Echo' -as [type])) {
        Add-Type -TypeDefinition @'
namespace CloudGatewayPester {
    using System.Net; using System.Net.Sockets; using System.Threading.Tasks;
    public sealed class Echo {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        public int Port { get; }
        public Echo() { _listener.Start(); Port = ((IPEndPoint)_listener.LocalEndpoint).Port; _ = Task.Run(LoopAsync); }
        public void Stop() => _listener.Stop();
        private async Task LoopAsync() {
            while (true) {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); } catch (SocketException) { return; } catch (System.ObjectDisposedException) { return; }
                _ = Task.Run(async () => { using (client) { var s = client.GetStream(); var b = new byte[65536]; int n; while ((n = await s.ReadAsync(b, 0, b.Length)) > 0) await s.WriteAsync(b, 0, n); } });
            }
        }
    }
}
'@
    }
    [CloudGatewayPester.Echo]::new()
}

function New-TenantWorld {
    param([string[]] $Gateways = @('gw-a', 'gw-b'), [switch] $GatewayFailover)
    $null = Use-TestDatabase
    $null = New-CloudGatewayCertificate -IPAddress 127.0.0.1 -Force -Confirm:$false
    foreach ($name in $Gateways) {
        $port = Get-FreeLoopbackPort
        $null = Add-CloudGateway -Name $name -Address 127.0.0.1 -Port $port -ListenAddress 127.0.0.1
    }
    $null = New-CloudGatewayPool -Name p1 -Gateway $Gateways
    $password = ConvertTo-SecureString 'tenant-password-1' -AsPlainText -Force
    $null = New-CloudTenant -Name acme -Password $password -Pool p1 -GatewayFailover:$GatewayFailover
    $echo = Start-EchoServer
    $null = Add-CloudTenantResource -Tenant acme -Name repo -TargetHost 127.0.0.1 -TargetPort $echo.Port
    $relay = Start-CloudGatewayRelay
    [pscustomobject]@{
        Echo       = $echo
        Relay      = $relay
        Thumbprint = (Get-CloudGatewayCertificate).Thumbprint
        Credential = [pscredential]::new('acme', $password)
        FirstPort  = (Get-CloudGateway -Name $Gateways[0]).Port
    }
}

function Remove-TenantWorld {
    param($World)
    Get-CloudTunnel | Stop-CloudTunnel -Confirm:$false
    Stop-CloudGatewayRelay -DrainTimeout 0
    $World.Echo.Stop()
}

function Invoke-Echo {
    param([System.Net.IPEndPoint] $EndPoint, [byte[]] $Bytes = [byte[]](1, 2, 3))
    $client = [System.Net.Sockets.TcpClient]::new()
    try {
        $client.Connect($EndPoint)
        $stream = $client.GetStream()
        $stream.ReadTimeout = 10000
        $stream.Write($Bytes, 0, $Bytes.Length)
        $back = [byte[]]::new($Bytes.Length)
        $read = 0
        while ($read -lt $Bytes.Length) {
            $n = $stream.Read($back, $read, $Bytes.Length - $read)
            if ($n -eq 0) { break }
            $read += $n
        }
        # One byte per pipeline item: Pester 5.9 compares a byte[] passed whole with an int array as unequal.
        if ($read -gt 0) { $back[0..($read - 1)] }
    }
    finally { $client.Dispose() }
}
