using System.Net;
using CloudGateway.Storage;
using CloudGateway.Storage.Postgres;
using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Client.Providers;

/// <summary>
/// Opens the provider store of a configuration database, SQLite or PostgreSQL, so callers hold an
/// <see cref="IProviderStore"/> and not a backend.
/// </summary>
public static class ProviderDatabase
{
    /// <summary>Opens (creating and migrating on first use) the SQLite configuration database at <paramref name="path"/> for its provider tables.</summary>
    public static IProviderStore Open(string path, TimeProvider? timeProvider = null) => SqliteProviderStore.Open(path, timeProvider);

    /// <summary>
    /// Opens the provider store of the PostgreSQL configuration named by an Npgsql connection string, creating the
    /// CloudGateway tables on first use; <paramref name="credential"/>, when given, replaces the user name and password.
    /// Passwords are encrypted under the key file <see cref="ConfigurationDatabase.KeyFileVariable"/> names.
    /// </summary>
    public static IProviderStore OpenPostgres(string connectionString, NetworkCredential? credential = null, TimeProvider? timeProvider = null) =>
        PostgresProviderStore.Open(connectionString, credential, timeProvider);
}
