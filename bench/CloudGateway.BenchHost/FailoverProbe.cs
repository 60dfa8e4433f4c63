using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Client;
using CloudGateway.Storage;

namespace CloudGateway.BenchHost;

/// <summary>
/// One failover measurement with the tenant's real GatewayClient: a session is open through the primary gateway
/// (the first gateway by name); the primary's process is killed, so its port refuses connections; the probe
/// measures from the kill to the first byte received from the resource through the secondary gateway.
/// Prints one relaybench-style key=value line.
/// </summary>
internal static class FailoverProbe
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(string database, int primaryPid)
    {
        using var limit = new CancellationTokenSource(Limit);
        var token = limit.Token;
        List<CloudGateway.Model.Gateway> gateways;
        string thumbprint;
        using (var store = ConfigurationDatabase.Open(database))
        {
            gateways = [.. store.GetGateways()];
            using var certificate = X509CertificateLoader.LoadPkcs12(store.GetGatewayCertificate()!, null);
            thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        }

        var (primary, secondary) = (gateways[0], gateways[1]);

        // Warm the dial path (JIT, TLS) through the secondary so the measurement sees a running tenant process.
        var warm = Client(secondary.Port, thumbprint);
        for (var i = 0; i < 5; i++)
        {
            await using var stream = await warm.OpenResourceAsync(BenchDatabase.Resource, token).ConfigureAwait(false);
            await QuickExchangeAsync(stream, token).ConfigureAwait(false);
        }

        var client = Client(primary.Port, thumbprint);
        var held = await client.OpenResourceAsync(BenchDatabase.Resource, token).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            if (held.Gateway.Name != primary.Name)
            {
                Console.WriteLine($"value=0 unit=ms error=first-session-through-{held.Gateway.Name}");
                return 2;
            }

            await held.WriteAsync("H"u8.ToArray(), token).ConfigureAwait(false);
            await ReadOneAsync(held, token).ConfigureAwait(false);

            using var process = Process.GetProcessById(primaryPid);
            var lost = Stopwatch.GetTimestamp();
            process.Kill();
            var detected = await WaitForLossAsync(held, token).ConfigureAwait(false);
            await using var next = await client.OpenResourceAsync(BenchDatabase.Resource, token).ConfigureAwait(false);
            await QuickExchangeAsync(next, token).ConfigureAwait(false);
            var firstByte = Stopwatch.GetTimestamp();
            var ok = next.Gateway.Name == secondary.Name;
            Console.WriteLine(
                $"value={Stopwatch.GetElapsedTime(lost, firstByte).TotalMilliseconds:0.0} unit=ms " +
                $"detect_ms={Stopwatch.GetElapsedTime(lost, detected).TotalMilliseconds:0.0} " +
                $"reconnect_ms={Stopwatch.GetElapsedTime(detected, firstByte).TotalMilliseconds:0.0} via={next.Gateway.Name} errors={(ok ? 0 : 1)}");
            return ok ? 0 : 2;
        }
    }

    private static GatewayClient Client(int port, string thumbprint) => new(new GatewayClientSettings
    {
        Address = "127.0.0.1",
        Port = port,
        Credential = new NetworkCredential(BenchDatabase.Tenant, BenchDatabase.Password),
        CertificateThumbprint = thumbprint,
    });

    // The backend's 'Q' mode answers one byte and closes.
    private static async Task QuickExchangeAsync(Stream stream, CancellationToken token)
    {
        await stream.WriteAsync("Q"u8.ToArray(), token).ConfigureAwait(false);
        await ReadOneAsync(stream, token).ConfigureAwait(false);
    }

    private static async Task ReadOneAsync(Stream stream, CancellationToken token)
    {
        var buffer = new byte[1];
        if (await stream.ReadAsync(buffer, token).ConfigureAwait(false) != 1 || buffer[0] != (byte)'k')
        {
            throw new IOException("The backend did not answer 'k'.");
        }
    }

    // The held session ends (EOF or reset) when the primary's process dies.
    private static async Task<long> WaitForLossAsync(Stream held, CancellationToken token)
    {
        var buffer = new byte[16];
        try
        {
            while (await held.ReadAsync(buffer, token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (IOException)
        {
        }

        return Stopwatch.GetTimestamp();
    }
}
