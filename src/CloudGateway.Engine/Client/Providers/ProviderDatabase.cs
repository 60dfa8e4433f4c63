using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Client.Providers;

/// <summary>
/// Opens the provider store of a configuration database, so callers hold an <see cref="IProviderStore"/> and not a
/// backend. Providers are kept in SQLite only (PostgreSQL has no provider tables yet).
/// </summary>
public static class ProviderDatabase
{
    /// <summary>Opens (creating and migrating on first use) the SQLite configuration database at <paramref name="path"/> for its provider tables.</summary>
    public static IProviderStore Open(string path, TimeProvider? timeProvider = null) => SqliteProviderStore.Open(path, timeProvider);
}
