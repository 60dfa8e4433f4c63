using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Networking;

/// <summary>Opens the network extension part of a SQLite configuration database.</summary>
public static class NetworkExtensionDatabase
{
    /// <summary>
    /// Opens (creating and migrating on first use) the configuration database at <paramref name="path"/> and
    /// returns its network extension store; the same file the configuration store uses.
    /// </summary>
    public static INetworkExtensionStore Open(string path, TimeProvider? timeProvider = null) =>
        new SqliteNetworkExtensionStore(SqliteDatabase.Open(path), timeProvider ?? TimeProvider.System);
}
