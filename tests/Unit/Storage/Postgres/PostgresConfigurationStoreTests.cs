using System.Diagnostics;
using CloudGateway.Model;
using CloudGateway.Storage.Postgres;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>What only the PostgreSQL store has: its location, its schema checks, races between servers.</summary>
public sealed class PostgresConfigurationStoreTests : IDisposable
{
    private readonly PostgresTestSchema? _schema = PostgresTestServer.ConnectionString is null ? null : new PostgresTestSchema();

    private PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException(PostgresTestServer.SkipReason);

    public void Dispose() => _schema?.Dispose();

    [PostgresFact]
    public void Location_ConnectionStringWithPassword_ShowsEverythingButThePassword()
    {
        using var store = PostgresConfigurationStore.Open(Schema.ConnectionString);
        var password = new Npgsql.NpgsqlConnectionStringBuilder(Schema.ConnectionString).Password!;

        Assert.DoesNotContain(password, store.Location, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", store.Location, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Schema.Name, store.Location, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void Open_WrongPassword_StoreUnavailableWithoutThePassword()
    {
        var wrong = new Npgsql.NpgsqlConnectionStringBuilder(Schema.ConnectionString) { Password = "not-the-Password-42" }.ConnectionString;

        var error = Assert.Throws<GatewayException>(() => PostgresConfigurationStore.Open(wrong));

        Assert.Equal(GatewayErrorCode.StoreUnavailable, error.Code);
        Assert.DoesNotContain("not-the-Password-42", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-Password-42", error.Target?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NothingListening_StoreUnavailableWithoutThePassword()
    {
        var error = Assert.Throws<GatewayException>(() =>
            PostgresConfigurationStore.Open("Host=127.0.0.1;Port=1;Database=x;Username=u;Password=s3cret-Pw;Timeout=3"));

        Assert.Equal(GatewayErrorCode.StoreUnavailable, error.Code);
        Assert.DoesNotContain("s3cret-Pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MalformedConnectionString_ValidationFailedWithoutEchoingIt()
    {
        var error = Assert.Throws<GatewayException>(() => PostgresConfigurationStore.Open("Host=x;Password=s3cret-Pw;Bogus Key=1"));

        Assert.Equal(GatewayErrorCode.ValidationFailed, error.Code);
        Assert.DoesNotContain("s3cret-Pw", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void Open_SchemaWithOtherTables_RefusedAndLeftUntouched()
    {
        PostgresTestServer.Execute(Schema.ConnectionString, "CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (7)");

        var error = Assert.Throws<GatewayException>(() => PostgresConfigurationStore.Open(Schema.ConnectionString));

        Assert.Equal(GatewayErrorCode.NotAConfigurationDatabase, error.Code);
        Assert.Equal(1L, PostgresTestServer.Scalar<long>(Schema.ConnectionString, $"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{Schema.Name}'"));
    }

    [PostgresFact]
    public void Open_NewerSchema_RefusedAndLeftUntouched()
    {
        using (var store = PostgresConfigurationStore.Open(Schema.ConnectionString))
        {
            store.AddGateway(new Gateway { Name = "gw1", Address = "gw1.example.net" });
        }

        PostgresTestServer.Execute(Schema.ConnectionString, "INSERT INTO cloudgateway_schema (version, name) VALUES (9999, 'from the future')");
        var counterBefore = PostgresTestServer.Scalar<long>(Schema.ConnectionString, "SELECT value FROM change_counter");

        var error = Assert.Throws<GatewayException>(() => PostgresConfigurationStore.Open(Schema.ConnectionString));

        Assert.Equal(GatewayErrorCode.SchemaTooNew, error.Code);
        Assert.Equal(counterBefore, PostgresTestServer.Scalar<long>(Schema.ConnectionString, "SELECT value FROM change_counter"));
        Assert.Equal(1L, PostgresTestServer.Scalar<long>(Schema.ConnectionString, "SELECT count(*) FROM gateways"));
    }

    [PostgresFact]
    public void Open_SeveralServersAtOnceOnAnEmptySchema_MigratesOnce()
    {
        var stores = new PostgresConfigurationStore[4];
        Parallel.For(0, stores.Length, i => stores[i] = PostgresConfigurationStore.Open(Schema.ConnectionString));
        try
        {
            Assert.All(stores, s => Assert.Equal(0, s.GetChangeCounter()));
            Assert.Equal(
                (long)PostgresMigrations.LatestVersion,
                PostgresTestServer.Scalar<long>(Schema.ConnectionString, "SELECT count(*) FROM cloudgateway_schema"));
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }
    }

    [PostgresFact]
    public void AddPool_TwoServersTakeTheLastTwoStandaloneGatewaysAtOnce_ExactlyOneWins()
    {
        using var setup = PostgresConfigurationStore.Open(Schema.ConnectionString);
        setup.AddTenant(new Tenant { Name = "standalone-user" }, CloudGateway.Security.PasswordHasher.Hash("standalone-password"));
        using var serverA = PostgresConfigurationStore.Open(Schema.ConnectionString);
        using var serverB = PostgresConfigurationStore.Open(Schema.ConnectionString);
        for (var round = 0; round < 10; round++)
        {
            // Each round the only standalone gateways are a{round} and b{round}: earlier rounds pooled theirs.
            setup.AddGateway(new Gateway { Name = $"a{round}", Address = "a.example.net" });
            setup.AddGateway(new Gateway { Name = $"b{round}", Address = "b.example.net" });
            using var start = new Barrier(2);
            var outcomes = new GatewayErrorCode?[2];
            var r = round;
            Parallel.Invoke(
                () => outcomes[0] = TryAddPool(serverA, start, $"pa{r}", $"a{r}"),
                () => outcomes[1] = TryAddPool(serverB, start, $"pb{r}", $"b{r}"));

            Assert.Single(outcomes, o => o is null);
            Assert.Single(outcomes, o => o == GatewayErrorCode.LastStandaloneGateway);
            Assert.Single(setup.GetGateways(), g => g.Pool is null);
            var loser = outcomes[0] is null ? $"b{r}" : $"a{r}";
            setup.AddPool(new GatewayPool { Name = $"forced{r}", Members = [loser] }, force: true);
        }
    }

    [PostgresFact]
    public void Write_ManyConcurrentWritersOnTwoServers_EveryChangeCountedOnce()
    {
        using var serverA = PostgresConfigurationStore.Open(Schema.ConnectionString);
        using var serverB = PostgresConfigurationStore.Open(Schema.ConnectionString);
        const int PerWriter = 25;
        var before = serverA.GetChangeCounter();

        Parallel.For(0, 4, writer =>
        {
            var store = writer % 2 == 0 ? serverA : serverB;
            for (var i = 0; i < PerWriter; i++)
            {
                store.AddGateway(new Gateway { Name = $"w{writer}-{i}", Address = "w.example.net" });
            }
        });

        Assert.Equal(4 * PerWriter, serverB.GetGateways().Count);
        Assert.Equal(before + (4 * PerWriter), serverA.GetChangeCounter());
    }

    private static GatewayErrorCode? TryAddPool(PostgresConfigurationStore store, Barrier start, string pool, string member)
    {
        start.SignalAndWait(TimeSpan.FromSeconds(10));
        try
        {
            store.AddPool(new GatewayPool { Name = pool, Members = [member] });
            return null;
        }
        catch (GatewayException error)
        {
            return error.Code;
        }
    }
}
