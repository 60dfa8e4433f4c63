using System.Collections.Concurrent;
using CloudGateway.Storage;
using CloudGateway.Storage.Postgres;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>MaxConcurrentSessions across servers: leases in the shared database.</summary>
public sealed class PostgresSessionLeasesTests : IDisposable
{
    private static readonly Guid Acme = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();

    private readonly PostgresTestSchema? _schema = PostgresTestServer.ConnectionString is null ? null : new PostgresTestSchema();

    private PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException(PostgresTestServer.SkipReason);

    public void Dispose() => _schema?.Dispose();

    [PostgresFact]
    public void TryAcquire_TwoServersRaceForALimitOfFour_ExactlyFourAcquired()
    {
        using var store = PostgresConfigurationStore.Open(Schema.ConnectionString);
        using var serverA = PostgresSessionLeases.Open(Schema.ConnectionString, "a");
        using var serverB = store.OpenSessionLeases("b");
        var results = new ConcurrentBag<SessionLeaseResult>();

        Parallel.For(0, 20, i => results.Add((i % 2 == 0 ? serverA : serverB).TryAcquire(Acme, Guid.NewGuid(), 4)));

        Assert.Equal(4, results.Count(r => r == SessionLeaseResult.Acquired));
        Assert.Equal(16, results.Count(r => r == SessionLeaseResult.LimitReached));
    }

    [PostgresFact]
    public void Release_OneOfFour_FreesASlotOnTheOtherServer()
    {
        using var serverA = PostgresSessionLeases.Open(Schema.ConnectionString, "a");
        using var serverB = PostgresSessionLeases.Open(Schema.ConnectionString, "b");
        var sessions = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        Assert.All(sessions, s => Assert.Equal(SessionLeaseResult.Acquired, serverA.TryAcquire(Acme, s, 4)));
        Assert.Equal(SessionLeaseResult.LimitReached, serverB.TryAcquire(Acme, Guid.NewGuid(), 4));

        serverA.Release(sessions[0]);

        Assert.Equal(SessionLeaseResult.Acquired, serverB.TryAcquire(Acme, Guid.NewGuid(), 4));
        Assert.Equal(SessionLeaseResult.Acquired, serverB.TryAcquire(Other, Guid.NewGuid(), 0));
    }

    [PostgresFact]
    public async Task TryAcquire_ServerThatStoppedRenewing_ItsLeasesRunOut()
    {
        using var dying = PostgresSessionLeases.Open(Schema.ConnectionString, "dying", TimeSpan.FromSeconds(1));
        using var survivor = PostgresSessionLeases.Open(Schema.ConnectionString, "survivor", TimeSpan.FromSeconds(1));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(SessionLeaseResult.Acquired, dying.TryAcquire(Acme, Guid.NewGuid(), 4));
        }

        var kept = Guid.NewGuid();
        Assert.Equal(SessionLeaseResult.LimitReached, survivor.TryAcquire(Acme, kept, 4));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        SessionLeaseResult result;
        while ((result = survivor.TryAcquire(Acme, kept, 4)) != SessionLeaseResult.Acquired && DateTime.UtcNow < deadline)
        {
            survivor.Renew();
            await Task.Delay(200);
        }

        Assert.Equal(SessionLeaseResult.Acquired, result);
    }

    [PostgresFact]
    public void Renew_TwoServersHoldOneTenant_CountsBothServers()
    {
        using var serverA = PostgresSessionLeases.Open(Schema.ConnectionString, "a");
        using var serverB = PostgresSessionLeases.Open(Schema.ConnectionString, "b");
        serverA.TryAcquire(Acme, Guid.NewGuid(), 0);
        serverB.TryAcquire(Acme, Guid.NewGuid(), 0);
        serverB.TryAcquire(Other, Guid.NewGuid(), 0);

        var servers = serverA.Renew();

        Assert.NotNull(servers);
        Assert.Equal(2, servers[Acme]);
        Assert.Equal(1, servers[Other]);
    }

    [PostgresFact]
    public void TryAcquire_LeasesAnEarlierVersionKeyedByName_NeitherCountedNorReported()
    {
        using var server = PostgresSessionLeases.Open(Schema.ConnectionString, "a");
        PostgresTestServer.Execute(Schema.ConnectionString,
            "INSERT INTO session_leases (session_id, server_id, tenant_key, expires_at) VALUES (gen_random_uuid(), 'old', 'ACME', now() + interval '1 minute')");

        Assert.Equal(SessionLeaseResult.Acquired, server.TryAcquire(Acme, Guid.NewGuid(), 1));
        var servers = server.Renew();

        Assert.NotNull(servers);
        Assert.Equal(Acme, Assert.Single(servers).Key);
    }
}
