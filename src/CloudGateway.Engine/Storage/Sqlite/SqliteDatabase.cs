using System.Diagnostics;
using System.Globalization;
using CloudGateway.Security;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// One CloudGateway SQLite file: opens it (creating it on first use), refuses files that are not ours, damaged
/// or newer without touching them, applies the embedded migrations, and runs reads and writes in transactions.
/// Every write uses <c>BEGIN IMMEDIATE</c>, bumps the change counter in the same transaction, and waits out
/// other processes' locks, so "database is locked" never reaches the user. A new file (and any folder made for it) is
/// owner-only, and SQLite gives its -wal and -shm the same mode; deleted rows are overwritten (<c>secure_delete</c>), so
/// a replaced secret does not linger in free pages. Safe for use from several threads.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    /// <summary>The <c>PRAGMA application_id</c> of every CloudGateway database ("CGDB").</summary>
    public const int ApplicationId = 0x43474442;

    /// <summary>How long a write waits for other writers before giving up.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly string _connectionString;
    private bool _disposed;

    private SqliteDatabase(string path)
    {
        Path = path;
        _connectionString = ConnectionString(path, SqliteOpenMode.ReadWrite, pooling: true);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The schema version this build creates and understands (the highest embedded migration).</summary>
    public static int LatestSchemaVersion => SqliteMigration.LatestVersion;

    /// <summary>
    /// Opens the database at <paramref name="path"/>, creating it when the file is missing or empty, and brings its
    /// schema up to date. Throws NotAConfigurationDatabase, DatabaseCorrupt or SchemaTooNew, leaving such a file unchanged.
    /// </summary>
    public static SqliteDatabase Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        try
        {
            CreateIfMissing(fullPath);
            DatabaseFileInspector.InspectBeforeFirstConnection(fullPath, ApplicationId);
            Probe(fullPath);
        }
        catch (SqliteException exception)
        {
            throw Translate(exception, fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new GatewayException(GatewayErrorCode.StoreUnavailable, $"The configuration database '{fullPath}' could not be opened: {exception.Message}", fullPath, exception);
        }

        var database = new SqliteDatabase(fullPath);
        try
        {
            database.Migrate();
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="read"/> in one read transaction, so it sees a single consistent state.</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return WithRetry(() =>
        {
            using var connection = OpenConnection();
            connection.Execute(null, "BEGIN DEFERRED");
            try
            {
                return read(connection);
            }
            finally
            {
                connection.Execute(null, "ROLLBACK");
            }
        });
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one <c>BEGIN IMMEDIATE</c> transaction that first bumps the change counter,
    /// and commits. Any exception rolls everything back. The delegate may run again when another process held the lock.
    /// </summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WithRetry(() =>
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction(deferred: false);

            // Bumped first, as on PostgreSQL: rows the write stamps (migration 0006) carry the value it commits as.
            connection.Execute(transaction, "UPDATE change_counter SET value = value + 1 WHERE id = 1");
            var result = write(connection, transaction);
            transaction.Commit();
            return result;
        });
    }

    /// <summary>Runs <paramref name="write"/> like <see cref="Write{T}"/> when there is nothing to return.</summary>
    public void Write(Action<SqliteConnection, SqliteTransaction> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write((connection, transaction) =>
        {
            write(connection, transaction);
            return true;
        });
    }

    /// <summary>The number of committed writes so far.</summary>
    public long GetChangeCounter() => Read(connection => Convert.ToInt64(connection.Scalar(null, "SELECT value FROM change_counter WHERE id = 1"), CultureInfo.InvariantCulture));

    /// <summary>The schema version of the file (its <c>PRAGMA user_version</c>).</summary>
    public int GetSchemaVersion() => Read(connection => Convert.ToInt32(connection.Scalar(null, "PRAGMA user_version"), CultureInfo.InvariantCulture));

    /// <summary>Closes the pooled connections to the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private SqliteConnection OpenConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return OpenConnection(_connectionString);
    }

    private static SqliteConnection OpenConnection(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            connection.Execute(null, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;"));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string ConnectionString(string path, SqliteOpenMode mode, bool pooling) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = pooling,
        DefaultTimeout = (int)BusyTimeout.TotalSeconds,
    }.ToString();

    private T WithRetry<T>(Func<T> action)
    {
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return action();
            }
            catch (SqliteException exception) when (IsBusy(exception) && Stopwatch.GetElapsedTime(started) < BusyTimeout)
            {
                Thread.Sleep(Math.Min(attempt, 20) * Random.Shared.Next(5, 25));
            }
            catch (SqliteException exception)
            {
                throw Translate(exception, Path);
            }
        }
    }

    private static bool IsBusy(SqliteException exception) => exception.SqliteErrorCode is SqliteBusy or SqliteLocked;

    private static GatewayException Translate(SqliteException exception, string path) => exception.SqliteErrorCode switch
    {
        SqliteCorrupt or SqliteNotADatabase => new GatewayException(GatewayErrorCode.DatabaseCorrupt, $"The configuration database '{path}' is damaged ({exception.Message}). Restore it from a backup or an export.", path, exception),
        SqliteBusy or SqliteLocked => new GatewayException(GatewayErrorCode.StoreUnavailable, $"The configuration database '{path}' stayed locked by another process for {BusyTimeout.TotalSeconds:0} seconds; try again.", path, exception),
        _ => new GatewayException(GatewayErrorCode.StoreUnavailable, $"The configuration database '{path}' could not be used: {exception.Message}", path, exception),
    };

    /// <summary>
    /// Builds a brand-new database beside <paramref name="path"/> and moves it into place, so that no other process
    /// ever sees a half-initialized file. A missing or empty file is replaced; an existing one is left alone. The
    /// temporary file is created owner-only before SQLite opens it, whatever the umask, and keeps that mode when moved.
    /// </summary>
    private static void CreateIfMissing(string path)
    {
        var existing = new FileInfo(path);
        if (existing.Exists && existing.Length > 0)
        {
            return;
        }

        var folder = System.IO.Path.GetDirectoryName(path)!;
        OwnerOnlyAccess.CreateFolder(folder);
        var temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.new");
        try
        {
            OwnerOnlyAccess.CreateEmptyFile(temporary);
            using (var connection = OpenConnection(ConnectionString(temporary, SqliteOpenMode.ReadWriteCreate, pooling: false)))
            {
                connection.Execute(null, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId}"));
                ApplyMigrations(connection, temporary);
                connection.Execute(null, "PRAGMA journal_mode = WAL");
            }

            MoveIntoPlace(temporary, path);
        }
        finally
        {
            foreach (var leftover in new[] { temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal" })
            {
                File.Delete(leftover);
            }
        }
    }

    private static void MoveIntoPlace(string temporary, string path)
    {
        var existing = new FileInfo(path);
        if (existing.Exists && existing.Length > 0)
        {
            return;
        }

        try
        {
            File.Move(temporary, path, overwrite: existing.Exists);
        }
        catch (IOException) when (new FileInfo(path) is { Exists: true, Length: > 0 })
        {
            // Another process created the database first; its file is used and ours is discarded.
            return;
        }
    }

    /// <summary>
    /// Reads the file's identity, schema version and integrity in a read transaction before anything is written.
    /// The connection may write but only reads: unlike a read-only one, closing it removes the -wal and -shm files
    /// SQLite creates beside a WAL database, so a refused file is left exactly as it was found.
    /// </summary>
    private static void Probe(string path)
    {
        using var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWrite, pooling: false));
        connection.Open();
        connection.Execute(null, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}"));
        connection.Execute(null, "BEGIN DEFERRED");
        var applicationId = Convert.ToInt32(connection.Scalar(null, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        if (applicationId != ApplicationId)
        {
            throw new GatewayException(GatewayErrorCode.NotAConfigurationDatabase, $"'{path}' is not a CloudGateway configuration database: it is a SQLite database of another application. It was left unchanged.", path);
        }

        var version = Convert.ToInt32(connection.Scalar(null, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > LatestSchemaVersion)
        {
            throw new GatewayException(GatewayErrorCode.SchemaTooNew, $"The configuration database '{path}' has schema version {version}, written by a newer CloudGateway; this version understands up to {LatestSchemaVersion}. Update the CloudGateway module. The file was left unchanged.", path);
        }

        var unknown = AppliedMigrations(connection, null)?.Except(SqliteMigration.All.Select(m => m.Version)).ToList();
        if (unknown is { Count: > 0 })
        {
            throw new GatewayException(GatewayErrorCode.SchemaTooNew, $"The configuration database '{path}' has schema changes ({string.Join(", ", unknown)}) written by a newer CloudGateway; this version does not know them. Update the CloudGateway module. The file was left unchanged.", path);
        }

        var problems = connection.Query(null, "PRAGMA quick_check", reader => reader.GetString(0));
        if (problems is not ["ok"])
        {
            throw new GatewayException(GatewayErrorCode.DatabaseCorrupt, $"The configuration database '{path}' is damaged ({string.Join("; ", problems.Take(3))}). It was left unchanged; restore it from a backup or an export.", path);
        }

        connection.Execute(null, "ROLLBACK");
    }

    private void Migrate()
    {
        WithRetry(() =>
        {
            using var connection = OpenConnection();
            ApplyMigrations(connection, Path);
            if (!string.Equals(connection.Scalar(null, "PRAGMA journal_mode") as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                connection.Execute(null, "PRAGMA journal_mode = WAL");
            }

            return true;
        });
    }

    /// <summary>The migrations the file records, or null when it has no record table yet.</summary>
    private static HashSet<int>? AppliedMigrations(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var exists = connection.Scalar(transaction, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'") is not null;
        return exists ? connection.Query(transaction, "SELECT version FROM schema_migration", r => r.GetInt32(0)).ToHashSet() : null;
    }

    /// <summary>
    /// Applies, in version order and each in its own immediate transaction, every embedded migration the file has
    /// not recorded yet. A file that records a migration this build does not know is from a newer version.
    /// </summary>
    private static void ApplyMigrations(SqliteConnection connection, string path)
    {
        var known = SqliteMigration.All.Select(m => m.Version).ToHashSet();
        if (AppliedMigrations(connection, null) is { } recorded && known.IsSubsetOf(recorded) && recorded.IsSubsetOf(known))
        {
            return;
        }

        foreach (var migration in SqliteMigration.All)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            connection.Execute(transaction, "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)");
            var applied = connection.Query(transaction, "SELECT version FROM schema_migration", r => r.GetInt32(0));
            var unknown = applied.Where(v => !known.Contains(v)).ToList();
            var version = Convert.ToInt32(connection.Scalar(transaction, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            if (unknown.Count > 0 || version > LatestSchemaVersion)
            {
                throw new GatewayException(GatewayErrorCode.SchemaTooNew, $"The configuration database '{path}' has schema changes ({string.Join(", ", unknown.DefaultIfEmpty(version))}) written by a newer CloudGateway; this version understands up to {LatestSchemaVersion}. Update the CloudGateway module.", path);
            }

            if (applied.Contains(migration.Version))
            {
                continue;
            }

            connection.Execute(transaction, migration.Sql);
            connection.Execute(transaction, "INSERT INTO schema_migration (version, name, applied) VALUES ($version, $name, $applied)",
                ("$version", migration.Version), ("$name", migration.Name), ("$applied", DateTimeOffset.UtcNow.UtcTicks));
            connection.Execute(transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {Math.Max(version, migration.Version)}"));
            transaction.Commit();
        }
    }
}
