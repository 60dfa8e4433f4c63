using System.Security.Cryptography;
using CloudGateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Tests.Storage.Sqlite;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Open_MissingFile_CreatesLatestSchemaInWalMode()
    {
        var path = _folder.File("sub/dir/config.db");
        using var database = SqliteDatabase.Open(path);

        Assert.Equal(SqliteDatabase.LatestSchemaVersion, database.GetSchemaVersion());
        Assert.Equal(0, database.GetChangeCounter());
        Assert.Equal("wal", database.Read(c => (string?)c.Scalar(null, "PRAGMA journal_mode")));
        Assert.Equal((long)SqliteDatabase.ApplicationId, database.Read(c => (long)c.Scalar(null, "PRAGMA application_id")!));
        Assert.Empty(Directory.GetFiles(_folder.File("sub/dir"), "*.new*"));
    }

    [Fact]
    public void Open_EmptyFile_MigratesFromNothing()
    {
        var path = _folder.File("empty.db");
        File.WriteAllBytes(path, []);

        using var database = SqliteDatabase.Open(path);

        Assert.Equal(SqliteDatabase.LatestSchemaVersion, database.GetSchemaVersion());
        var tables = database.Read(c => c.Query(null, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", r => r.GetString(0)));
        Assert.Contains("gateways", tables);
        Assert.Contains("tenants", tables);
        Assert.Contains("change_counter", tables);
    }

    [Fact]
    public void Open_ExistingDatabase_KeepsData()
    {
        var path = _folder.File("config.db");
        using (var database = SqliteDatabase.Open(path))
        {
            database.Write((c, t) => c.Execute(t, "INSERT INTO gateway_certificate (id, pkcs12, modified) VALUES (1, x'01', 0)"));
        }

        using var reopened = SqliteDatabase.Open(path);
        Assert.Equal(1, reopened.GetChangeCounter());
        Assert.Equal(1L, reopened.Read(c => (long)c.Scalar(null, "SELECT count(*) FROM gateway_certificate")!));
    }

    [Fact]
    public void Write_Commits_BumpsChangeCounter()
    {
        using var database = SqliteDatabase.Open(_folder.File("config.db"));
        database.Write((c, t) => c.Execute(t, "UPDATE gateways SET name = name"));
        database.Write((c, t) => c.Execute(t, "UPDATE gateways SET name = name"));

        Assert.Equal(2, database.GetChangeCounter());
    }

    [Fact]
    public void Write_Throws_RollsBackAndKeepsCounter()
    {
        using var database = SqliteDatabase.Open(_folder.File("config.db"));

        Assert.Throws<InvalidOperationException>(() => database.Write((c, t) =>
        {
            c.Execute(t, "INSERT INTO gateway_certificate (id, pkcs12, modified) VALUES (1, x'01', 0)");
            throw new InvalidOperationException("stop");
        }));

        Assert.Equal(0, database.GetChangeCounter());
        Assert.Equal(0L, database.Read(c => (long)c.Scalar(null, "SELECT count(*) FROM gateway_certificate")!));
    }

    [Fact]
    public async Task Write_WhileAnotherConnectionHoldsTheWriteLock_WaitsAndSucceeds()
    {
        var path = _folder.File("config.db");
        using var database = SqliteDatabase.Open(path);
        using var blocker = new SqliteConnection($"Data Source={path};Pooling=False");
        blocker.Open();
        blocker.Execute(null, "BEGIN IMMEDIATE");
        var release = Task.Run(async () =>
        {
            await Task.Delay(700);
            blocker.Execute(null, "COMMIT");
        });

        database.Write((c, t) => c.Execute(t, "UPDATE gateways SET name = name"));
        await release;

        Assert.Equal(1, database.GetChangeCounter());
    }

    [Fact]
    public void Write_FromItsStart_HoldsTheWriteLock()
    {
        var path = _folder.File("config.db");
        using var database = SqliteDatabase.Open(path);
        using var other = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=1");
        other.Open();
        other.Execute(null, "PRAGMA busy_timeout = 0");

        var error = database.Write((c, t) => Assert.Throws<SqliteException>(() => other.Execute(null, "BEGIN IMMEDIATE")));

        Assert.Equal(5, error.SqliteErrorCode);
    }

    [Fact]
    public void Migrations_Embedded_AreInVersionOrderStartingWithCore()
    {
        var migrations = SqliteMigration.All;

        Assert.Equal((1, "core"), (migrations[0].Version, migrations[0].Name));
        Assert.Equal(migrations.Select(m => m.Version).Order(), migrations.Select(m => m.Version));
        Assert.Equal(migrations.Count, migrations.Select(m => m.Version).Distinct().Count());
    }

    [Fact]
    public void Open_TextFile_RefusedAsNotOursAndUnchanged()
    {
        var path = _folder.File("notes.db");
        File.WriteAllText(path, "This is a text file, not a database.\n");

        AssertRefusedUnchanged(path, GatewayErrorCode.NotAConfigurationDatabase);
    }

    [Fact]
    public void Open_RandomBytes_RefusedAndUnchanged()
    {
        var path = _folder.File("random.db");
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(8192));

        AssertRefusedUnchanged(path, GatewayErrorCode.NotAConfigurationDatabase);
    }

    [Fact]
    public void Open_AnotherApplicationsSqliteDatabase_RefusedAndUnchanged()
    {
        var path = _folder.File("other.db");
        using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            other.Open();
            other.Execute(null, "CREATE TABLE gateways (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO gateways (name) VALUES ('x');");
        }

        AssertRefusedUnchanged(path, GatewayErrorCode.NotAConfigurationDatabase);
    }

    [Fact]
    public void Open_AnotherApplicationsWalDatabase_RefusedAndUnchanged()
    {
        var path = _folder.File("other-wal.db");
        using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            other.Open();
            other.Execute(null, "PRAGMA application_id = 1234; PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
        }

        AssertRefusedUnchanged(path, GatewayErrorCode.NotAConfigurationDatabase);
    }

    [Fact]
    public void Open_NewerSchema_RefusedAndUnchanged()
    {
        var path = CreateDatabase("newer.db");
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            raw.Execute(null, $"PRAGMA user_version = {SqliteDatabase.LatestSchemaVersion + 1}");
        }

        var error = AssertRefusedUnchanged(path, GatewayErrorCode.SchemaTooNew);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnknownMigrationRecorded_RefusedAsNewerAndUnchanged()
    {
        var path = CreateDatabase("unknown-migration.db");
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            raw.Execute(null, "INSERT INTO schema_migration (version, name, applied) VALUES (9999, 'future', 0)");
        }

        AssertRefusedUnchanged(path, GatewayErrorCode.SchemaTooNew);
    }

    [Fact]
    public void Open_Created_RecordsEveryMigration()
    {
        using var database = SqliteDatabase.Open(_folder.File("config.db"));

        var recorded = database.Read(c => c.Query(null, "SELECT version, name FROM schema_migration ORDER BY version", r => $"{r.GetInt32(0):D4}_{r.GetString(1)}"));

        Assert.Equal(SqliteMigration.All.Select(m => $"{m.Version:D4}_{m.Name}"), recorded);
    }

    [Fact]
    public void Open_TruncatedDatabase_RefusedAsCorruptAndUnchanged()
    {
        var path = CreateDatabase("truncated.db");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        AssertRefusedUnchanged(path, GatewayErrorCode.DatabaseCorrupt);
    }

    [Fact]
    public void Open_GarbageOverTablePages_RefusedAsCorruptAndUnchanged()
    {
        var path = CreateDatabase("garbage.db");
        var bytes = File.ReadAllBytes(path);
        var pageSize = (bytes[16] << 8) | bytes[17];
        RandomNumberGenerator.Fill(bytes.AsSpan(pageSize));
        File.WriteAllBytes(path, bytes);

        AssertRefusedUnchanged(path, GatewayErrorCode.DatabaseCorrupt);
    }

    private string CreateDatabase(string name)
    {
        var path = _folder.File(name);
        using (var database = SqliteDatabase.Open(path))
        {
            database.Write((c, t) => c.Execute(t, "INSERT INTO gateways (id, name, name_key, description, server, network_mode, address, port, internal_port, enabled, created, modified) VALUES ('a', 'gw', 'GW', '', 's', 'Direct', 'h', 1, 1, 1, 0, 0)"));
        }

        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(path + "-wal"));
        return path;
    }

    private static GatewayException AssertRefusedUnchanged(string path, GatewayErrorCode expected)
    {
        var before = SHA256.HashData(File.ReadAllBytes(path));

        var error = Assert.Throws<GatewayException>(() => SqliteDatabase.Open(path));

        SqliteConnection.ClearAllPools();
        Assert.Equal(expected, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
        Assert.False(File.Exists(path + "-wal"), "a -wal file appeared");
        Assert.False(File.Exists(path + "-shm"), "a -shm file appeared");
        Assert.False(File.Exists(path + "-journal"), "a -journal file appeared");
        return error;
    }
}
