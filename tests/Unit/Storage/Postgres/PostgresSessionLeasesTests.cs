using System.Collections.Concurrent;
using CloudGateway.Storage;
using CloudGateway.Storage.Postgres;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>MaxConcurrentSessions across servers: leases in the shared database.</summary>
public sealed class PostgresSessionLeasesTests : IDisposable
{
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

        Parallel.For(0, 20, i => results.Add((i % 2 == 0 ? serverA : serverB).TryAcquire("Acme", Guid.NewGuid(), 4)));

        Assert.Equal(4, results.Count(r => r == SessionLeaseResult.Acquired));
        Assert.Equal(16, results.Count(r => r == SessionLeaseResult.LimitReached));
    }

    [PostgresFact]
    public void Release_OneOfFour_FreesASlotOnTheOtherServer()
    {
        using var serverA = PostgresSessionLeases.Open(Schema.ConnectionString, "a");
        using var serverB = PostgresSessionLeases.Open(Schema.ConnectionString, "b");
        var sessions = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        Assert.All(sessions, s => Assert.Equal(SessionLeaseResult.Acquired, serverA.TryAcquire("acme", s, 4)));
        Assert.Equal(SessionLeaseResult.LimitReached, serverB.TryAcquire("ACME", Guid.NewGuid(), 4));

        serverA.Release(sessions[0]);

        Assert.Equal(SessionLeaseResult.Acquired, serverB.TryAcquire("Acme", Guid.NewGuid(), 4));
        Assert.Equal(SessionLeaseResult.Acquired, serverB.TryAcquire("Other", Guid.NewGuid(), 0));
    }

    [PostgresFact]
    public async Task TryAcquire_ServerThatStoppedRenewing_ItsLeasesRunOut()
    {
        using var dying = PostgresSessionLeases.Open(Schema.ConnectionString, "dying", TimeSpan.FromSeconds(1));
        using var survivor = PostgresSessionLeases.Open(Schema.ConnectionString, "survivor", TimeSpan.FromSeconds(1));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(SessionLeaseResult.Acquired, dying.TryAcquire("acme", Guid.NewGuid(), 4));
        }

        var kept = Guid.NewGuid();
        Assert.Equal(SessionLeaseResult.LimitReached, survivor.TryAcquire("acme", kept, 4));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        SessionLeaseResult result;
        while ((result = survivor.TryAcquire("acme", kept, 4)) != SessionLeaseResult.Acquired && DateTime.UtcNow < deadline)
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
        serverA.TryAcquire("acme", Guid.NewGuid(), 0);
        serverB.TryAcquire("acme", Guid.NewGuid(), 0);
        serverB.TryAcquire("solo", Guid.NewGuid(), 0);

        var servers = serverA.Renew();

        Assert.NotNull(servers);
        Assert.Equal(2, servers["ACME"]);
        Assert.Equal(1, servers["solo"]);
    }
}
