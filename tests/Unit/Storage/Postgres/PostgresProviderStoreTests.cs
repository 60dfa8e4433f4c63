using System.Text;
using CloudGateway.Client.Providers;
using CloudGateway.Storage;
using CloudGateway.Storage.Postgres;
using CloudGateway.Storage.Sqlite;
using CloudGateway.Tests.Client.Providers;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>The provider store contract against PostgreSQL (each test has an empty schema of its own), and what only it has.</summary>
[SkipUnlessEnvironment(PostgresTestServer.Variable, PostgresTestServer.SkipReason)]
public sealed class PostgresProviderStoreTests : ProviderStoreContract
{
    private PostgresTestSchema? _schema;

    private PostgresTestSchema Schema => _schema ??= new PostgresTestSchema();

    protected override string KeyPath => Files.File("shared.key");

    protected override IProviderStore OpenStore() => PostgresProviderStore.Open(Schema.ConnectionString, keyFile: KeyPath);

    protected override byte[] BytesAtRest() =>
    [
        .. PostgresTestServer.Scalar<byte[]>(Schema.ConnectionString, "SELECT string_agg(protected_password, ''::bytea) FROM tenant_providers"),
        .. Encoding.UTF8.GetBytes(PostgresTestServer.Scalar<string>(Schema.ConnectionString, "SELECT string_agg(p::text, '') FROM tenant_providers p")),
    ];

    [PostgresFact]
    public void Open_NewSchema_HasTheProviderTablesOfSqlite()
    {
        using (OpenStore())
        {
            Assert.Equal(SqliteColumns("tenant_providers"), PostgresColumns("tenant_providers"));
            Assert.Equal(SqliteColumns("tenant_provider_gateways"), PostgresColumns("tenant_provider_gateways"));
        }
    }

    [PostgresFact]
    public void AddProvider_NoKeyFileSetting_StoreUnavailableNamingTheSettingAndStoresNothing()
    {
        using var store = PostgresProviderStore.Open(Schema.ConnectionString, keyFile: null);
        if (store.KeyPath is not null)
        {
            return;
        }

        var ex = Assert.Throws<GatewayException>(() => store.AddProvider(Provider(), Password));

        Assert.Equal(GatewayErrorCode.StoreUnavailable, ex.Code);
        Assert.Contains(ConfigurationDatabase.KeyFileVariable, ex.Message, StringComparison.Ordinal);
        Assert.Empty(store.GetProviders());
    }

    [PostgresFact]
    public void OpenPostgres_TwoServers_SeeOneProviderList()
    {
        using var first = ProviderDatabase.OpenPostgres(Schema.ConnectionString);
        using var second = OpenStore();
        second.AddProvider(Provider(), Password);

        Assert.Equal(["gw1", "fb"], first.GetProvider("sp").Gateways.Select(g => g.Name));
        Assert.DoesNotContain("Password=", first.Location, StringComparison.OrdinalIgnoreCase);
    }

    [PostgresFact]
    public void OpenPostgres_SchemaAtVersion4_AddsTheProviderTables()
    {
        using (OpenStore())
        {
            PostgresTestServer.Execute(Schema.ConnectionString, PostgresChangeLogUndo.Sql + "DROP TABLE tenant_provider_gateways, tenant_providers; DELETE FROM cloudgateway_schema WHERE version >= 5");
        }

        using var store = OpenStore();
        store.AddProvider(Provider(), Password);

        Assert.Equal(2L, PostgresTestServer.Scalar<long>(Schema.ConnectionString, "SELECT count(*) FROM cloudgateway_schema WHERE version IN (5, 6)"));
        Assert.Equal(Password, store.GetCredential("SP").Password);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _schema?.Dispose();
        }
    }

    private string[] SqliteColumns(string table)
    {
        using (SqliteProviderStore.Open(Files.File("shape.db")))
        {
        }

        using var connection = new SqliteConnection($"Data Source={Files.File("shape.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return [.. columns];
    }

    private string[] PostgresColumns(string table) => PostgresTestServer.Scalar<string>(Schema.ConnectionString,
            $"SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = '{Schema.Name}' AND table_name = '{table}'")
        .Split(',');
}
