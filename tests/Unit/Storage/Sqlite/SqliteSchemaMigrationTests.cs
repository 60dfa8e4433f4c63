using CloudGateway.Networking;
using CloudGateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Tests.Storage.Sqlite;

/// <summary>Migration 0004 on a database written by an earlier version: the PostgreSQL table names and pool membership, every row kept.</summary>
public sealed class SqliteSchemaMigrationTests : IDisposable
{
    private const string Pool = "00000000-0000-0000-0000-0000000000a1";
    private const string Tenant = "00000000-0000-0000-0000-0000000000c1";
    private const string Plan = "00000000-0000-0000-0000-0000000000d1";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Open_SchemaVersion3_MovesPoolMembersToTheGatewaysAndKeepsEveryRow()
    {
        var path = CreateVersion3Database();

        using (var store = SqliteConfigurationStore.Open(path))
        {
            Assert.Equal(SqliteDatabase.LatestSchemaVersion, store.GetSchemaVersion());
            Assert.Equal(["gw2", "gw1"], store.GetPool("pool").Members);
            Assert.Equal(["pool", "pool", null], store.GetGateways().Select(g => g.Pool));
            Assert.Equal(["pool"], store.GetTenant("acme").Pools);
            Assert.Equal("vbr", Assert.Single(store.GetResources("acme")).Name);
            Assert.Equal(ConfigurationStoreContract.PasswordHash, store.ReadSnapshot().Tenants.Single().PasswordHash);
        }

        using var networkExtension = NetworkExtensionDatabase.Open(path);
        Assert.Equal("Gold", networkExtension.GetConfiguration("acme").HardwarePlan);
    }

    private string CreateVersion3Database()
    {
        var path = _folder.File("v3.db");
        using var raw = new SqliteConnection($"Data Source={path};Pooling=False");
        raw.Open();
        raw.Execute(null, $"PRAGMA application_id = {SqliteDatabase.ApplicationId}; PRAGMA foreign_keys = ON");
        raw.Execute(null, "CREATE TABLE schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)");
        foreach (var migration in SqliteMigration.All.Where(m => m.Version <= 3))
        {
            raw.Execute(null, migration.Sql);
            raw.Execute(null, "INSERT INTO schema_migration (version, name, applied) VALUES ($version, $name, 0)", ("$version", migration.Version), ("$name", migration.Name));
        }

        raw.Execute(null, "PRAGMA user_version = 3");
        foreach (var (id, name) in new[] { ("b1", "gw1"), ("b2", "gw2"), ("b3", "gw3") })
        {
            raw.Execute(null, "INSERT INTO gateway VALUES ($id, $name, upper($name), '', 'server1', 'Direct', 'gw.example.net', 6180, NULL, 6180, 1, 0, 0)",
                ("$id", $"00000000-0000-0000-0000-0000000000{id}"), ("$name", name));
        }

        raw.Execute(null, $"INSERT INTO gateway_pool VALUES ('{Pool}', 'pool', 'POOL', '', 0, 0)");
        raw.Execute(null, $"INSERT INTO pool_member VALUES ('{Pool}', '00000000-0000-0000-0000-0000000000b2', 0), ('{Pool}', '00000000-0000-0000-0000-0000000000b1', 1)");
        raw.Execute(null, $"INSERT INTO tenant VALUES ('{Tenant}', 'acme', 'ACME', '', 1, NULL, $hash, 'Pools', 0, 0, 0, 0, 0, NULL, NULL, 0, 0)",
            ("$hash", ConfigurationStoreContract.PasswordHash));
        raw.Execute(null, $"INSERT INTO tenant_pool VALUES ('{Tenant}', '{Pool}', 0)");
        raw.Execute(null, $"INSERT INTO tenant_resource VALUES ('00000000-0000-0000-0000-0000000000e1', '{Tenant}', 'vbr', 'VBR', 'vbr.sp.local', 10003, '', 0, 0)");
        raw.Execute(null, $"INSERT INTO hardware_plan VALUES ('{Plan}', 'Gold', 'GOLD', '', 0, 0)");
        raw.Execute(null, $"INSERT INTO tenant_network_extension VALUES ('{Tenant}', '{Plan}', 0)");
        return path;
    }
}
