using System.Net;
using CloudGateway.Client;
using CloudGateway.Client.Providers;
using CloudGateway.Protocol;
using CloudGateway.Tests.Client;
using CloudGateway.Tests.Storage;

namespace CloudGateway.Tests.Client.Providers;

/// <summary>
/// What the tenant-side operations do against fake gateways, on a real provider store of each backend: a backend's
/// test class supplies <see cref="OpenStore"/> (each test has a new, empty database).
/// </summary>
public abstract class ProviderOperationsContract
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private static readonly NetworkCredential Credential = new("acme", "s3cret");

    /// <summary>Opens the store on this test's database; every call opens the same database again.</summary>
    protected abstract IProviderStore OpenStore();

    private ProviderOperations Operations(out IProviderStore store)
    {
        store = OpenStore();
        return new ProviderOperations(store);
    }

    private static ProviderRegistration Registration(FakeGateway gateway, string? thumbprint = null) => new()
    {
        Name = "sp",
        Address = "127.0.0.1",
        Port = gateway.Port,
        CertificateThumbprint = thumbprint ?? TestCertificates.Thumbprint(gateway.Certificate).ToLowerInvariant(),
    };

    [ContractFact]
    public async Task AddAsync_ReachableGateway_StoresProviderWithGatewayList()
    {
        await using var a = new FakeGateway("gw-a");
        await using var b = new FakeGateway("gw-b");
        a.Gateways = [a.Endpoint(), b.Endpoint(fallback: true)];
        var operations = Operations(out var store);
        using (store)
        {
            var provider = await operations.AddAsync(Registration(a), Credential, CancellationToken.None).WaitAsync(Limit);

            Assert.Equal(["gw-a", "gw-b"], provider.Gateways.Select(g => g.Name));
            Assert.NotNull(provider.LastRefresh);
            Assert.Equal(TestCertificates.Thumbprint(a.Certificate), provider.CertificateThumbprint);
            Assert.Equal(provider.Gateways, store.GetProvider("sp").Gateways);
            Assert.Equal(0, a.SessionsAccepted);
        }
    }

    [ContractFact]
    public async Task AddAsync_WrongThumbprint_StoresNothingAndSendsNoHello()
    {
        await using var a = new FakeGateway("gw-a");
        var operations = Operations(out var store);
        using (store)
        {
            var ex = await Assert.ThrowsAsync<GatewayException>(() => operations.AddAsync(Registration(a, new string('0', 64)), Credential, CancellationToken.None).WaitAsync(Limit));

            Assert.Equal(GatewayErrorCode.CertificateMismatch, ex.Code);
            Assert.Equal(0, a.HellosReceived);
            Assert.Empty(store.GetProviders());
        }
    }

    [ContractFact]
    public async Task AddAsync_InvalidCredentials_RefusedAndStoresNothing()
    {
        await using var a = new FakeGateway("gw-a") { RefuseWith = RefusalReason.InvalidCredentials };
        var operations = Operations(out var store);
        using (store)
        {
            var ex = await Assert.ThrowsAsync<GatewayException>(() => operations.AddAsync(Registration(a), Credential, CancellationToken.None).WaitAsync(Limit));

            Assert.Equal(RefusalReason.InvalidCredentials, GatewayRefusal.ReasonOf(ex));
            Assert.Empty(store.GetProviders());
        }
    }

    [ContractFact]
    public async Task RefreshAsync_GatewayAddedOnProviderSide_IsStored()
    {
        await using var a = new FakeGateway("gw-a");
        await using var c = new FakeGateway("gw-c");
        a.Gateways = [a.Endpoint()];
        var operations = Operations(out var store);
        using (store)
        {
            await operations.AddAsync(Registration(a), Credential, CancellationToken.None).WaitAsync(Limit);
            a.Gateways = [a.Endpoint(), c.Endpoint()];

            var refreshed = await operations.RefreshAsync("sp", CancellationToken.None).WaitAsync(Limit);

            Assert.Equal(["gw-a", "gw-c"], refreshed.Gateways.Select(g => g.Name));
        }
    }

    [ContractFact]
    public async Task CreateClient_AfterRestartWithInitialGatewayDead_BeginsFromStoredListAndKeepsHealth()
    {
        await using var a = new FakeGateway("gw-a");
        await using var b = new FakeGateway("gw-b");
        a.Gateways = b.Gateways = [a.Endpoint(), b.Endpoint()];
        var operations = Operations(out var store);
        using (store)
        {
            await operations.AddAsync(Registration(a), Credential, CancellationToken.None).WaitAsync(Limit);
        }

        await a.KillAsync();
        var restarted = Operations(out var reopened);
        using (reopened)
        {
            await using var stream = await restarted.CreateClient("sp").OpenResourceAsync("repo", CancellationToken.None).WaitAsync(Limit);

            Assert.Equal("gw-b", stream.Gateway.Name);
            var stored = reopened.GetProvider("sp").Gateways;
            Assert.Equal(1, stored.Single(g => g.Name == "gw-a").Health.ConsecutiveFailures);
            Assert.NotNull(stored.Single(g => g.Name == "gw-b").Health.LastSuccess);
        }
    }

    [ContractFact]
    public async Task TestAsync_OneGatewayDown_ReportsPerGateway()
    {
        await using var a = new FakeGateway("gw-a");
        await using var b = new FakeGateway("gw-b");
        a.Gateways = [a.Endpoint(), b.Endpoint()];
        var operations = Operations(out var store);
        using (store)
        {
            await operations.AddAsync(Registration(a), Credential, CancellationToken.None).WaitAsync(Limit);
            b.RefuseWith = RefusalReason.GatewayNotAllowed;

            var results = await operations.TestAsync("sp", CancellationToken.None).WaitAsync(Limit);

            Assert.Equal([true, false], results.Select(r => r.Passed));
            Assert.All(results, r => Assert.Equal("sp", r.Provider));
            Assert.True(results[1].CertificateValid);
            Assert.False(results[1].Authenticated);
            Assert.Equal("refused: gateway-not-allowed", results[1].Error);
        }
    }

    [ContractFact]
    public async Task Set_NewCredential_ReplacesTenantAndPassword()
    {
        await using var a = new FakeGateway("gw-a");
        var operations = Operations(out var store);
        using (store)
        {
            await operations.AddAsync(Registration(a), Credential, CancellationToken.None).WaitAsync(Limit);

            var changed = operations.Set("sp", new ProviderChange { CertificateThumbprint = string.Empty }, new NetworkCredential("other", "pw2"));

            Assert.Null(changed.CertificateThumbprint);
            Assert.Equal("other", changed.TenantName);
            Assert.Equal("pw2", store.GetCredential("sp").Password);
        }
    }
}
