using System.Net;
using CloudGateway.Storage;
using CloudGateway.Storage.Postgres;
using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Networking;

/// <summary>
/// Opens the network extension part of a configuration database, SQLite or PostgreSQL: the same database the
/// configuration store of <see cref="ConfigurationDatabase"/> uses, opened the same ways.
/// </summary>
public static class NetworkExtensionDatabase
{
    /// <summary>
    /// Opens (creating and migrating on first use) the SQLite configuration database at <paramref name="path"/> and
    /// returns its network extension store.
    /// </summary>
    public static INetworkExtensionStore Open(string path, TimeProvider? timeProvider = null) =>
        new SqliteNetworkExtensionStore(SqliteDatabase.Open(path), timeProvider ?? TimeProvider.System);

    /// <summary>
    /// Opens the network extension store of the PostgreSQL configuration named by an Npgsql connection string,
    /// creating the CloudGateway tables on first use; <paramref name="credential"/>, when given, replaces the user
    /// name and password.
    /// </summary>
    public static INetworkExtensionStore OpenPostgres(string connectionString, NetworkCredential? credential = null, TimeProvider? timeProvider = null) =>
        PostgresNetworkExtensionStore.Open(connectionString, credential, timeProvider);

    /// <summary>Opens <paramref name="location"/>: a PostgreSQL connection string when it has Host= or Server=, else a SQLite file path.</summary>
    public static INetworkExtensionStore OpenLocation(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return ConfigurationDatabase.IsConnectionString(location) ? OpenPostgres(location) : Open(location);
    }
}
