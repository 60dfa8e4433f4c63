using Microsoft.Data.Sqlite;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// Opens the database file for the provider tables: a fresh pooled connection per operation (so tunnels on many
/// threads can record health at once), foreign keys on, busy timeout, and migration 0002 applied (idempotent).
/// </summary>
internal sealed class ProviderDatabase : IProviderDatabase
{
    private const string MigrationName = "0002_tenant_providers.sql";
    private readonly string _connectionString;

    public ProviderDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            DefaultTimeout = 10,
            Pooling = true,
        }.ToString();
        Write(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = MigrationScript();
            return command.ExecuteNonQuery();
        });
    }

    public string Path { get; }

    public T Read<T>(Func<SqliteConnection, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Guard(() =>
        {
            using var connection = Open();
            return read(connection);
        });
    }

    public T Write<T>(Func<SqliteConnection, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Guard(() =>
        {
            using var connection = Open();
            Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                var result = write(connection);
                Execute(connection, "COMMIT");
                return result;
            }
            catch
            {
                Execute(connection, "ROLLBACK");
                throw;
            }
        });
    }

    public void Dispose() => SqliteConnection.ClearAllPools();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26)
        {
            throw new GatewayException(GatewayErrorCode.NotAConfigurationDatabase, $"'{Path}' is not a CloudGateway database.", Path, ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11)
        {
            throw new GatewayException(GatewayErrorCode.DatabaseCorrupt, $"The database '{Path}' is damaged.", Path, ex);
        }
        catch (SqliteException ex)
        {
            throw new GatewayException(GatewayErrorCode.StoreUnavailable, $"The database '{Path}' could not be used: {ex.Message}", Path, ex);
        }
    }

    private static string MigrationScript()
    {
        var assembly = typeof(ProviderDatabase).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(MigrationName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
