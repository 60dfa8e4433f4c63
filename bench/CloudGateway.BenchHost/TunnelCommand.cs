using System.Net;
using System.Runtime.InteropServices;
using CloudGateway.Client;
using CloudGateway.Tunnels;

namespace CloudGateway.BenchHost;

/// <summary>The tenant side for bench/clients.sh: a tunnel from a local port through our gateway to the bench resource, as Start-CloudTunnel runs it.</summary>
internal static class TunnelCommand
{
    /// <summary>Listens on 127.0.0.1:<paramref name="localPort"/> and relays each connection through the gateway at 127.0.0.1:<paramref name="gatewayPort"/> until SIGTERM.</summary>
    public static async Task<int> RunAsync(int gatewayPort, int localPort, string thumbprint)
    {
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        var settings = new GatewayClientSettings
        {
            Name = "bench",
            Address = "127.0.0.1",
            Port = gatewayPort,
            Credential = new NetworkCredential(BenchDatabase.Tenant, BenchDatabase.Password),
            CertificateThumbprint = thumbprint,
        };
        var tunnel = CloudTunnel.Start(1, "bench", BenchDatabase.Resource, new GatewayClient(settings), new IPEndPoint(IPAddress.Loopback, localPort));
        await using (tunnel.ConfigureAwait(false))
        {
            Console.WriteLine($"tunnel: 127.0.0.1:{localPort} -> gateway 127.0.0.1:{gatewayPort} -> {BenchDatabase.Resource}");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("stopping");
            }
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
