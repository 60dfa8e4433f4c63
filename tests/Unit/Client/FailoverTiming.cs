using System.Net;
using CloudGateway.Client;

namespace CloudGateway.Tests.Client;

/// <summary>
/// The collection of tests that assert failover times: run apart from the heavy transfers of other classes, and
/// after one handshake has loaded the TLS library, so the figures measure the client and not the machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FailoverTiming
{
    public const string Name = "Failover timing";

    internal static async Task WarmUpAsync(FakeGateway gateway)
    {
        var client = new GatewayClient(new GatewayClientSettings
        {
            Address = "127.0.0.1",
            Port = gateway.Port,
            Credential = new NetworkCredential("warm-up", "warm-up"),
            CertificateThumbprint = TestCertificates.Thumbprint(gateway.Certificate),
        });
        await client.RefreshAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
    }
}
