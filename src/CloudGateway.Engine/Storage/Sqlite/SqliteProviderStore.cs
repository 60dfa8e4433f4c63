using CloudGateway.Client.Providers;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// The provider store in a SQLite configuration database (tables of migration 0002), with the rules of
/// <see cref="ProviderStore"/>. Passwords are encrypted under the key file beside the database.
/// </summary>
public sealed class SqliteProviderStore : ProviderStore
{
    private readonly SqliteDatabase _database;

    private SqliteProviderStore(SqliteDatabase database, TimeProvider? timeProvider)
        : base(ProviderPasswords.BesideFile(database.Path, () => SealedSecrets.In(database)), timeProvider) => _database = database;

    /// <inheritdoc />
    public override string Location => _database.Path;

    /// <summary>The key file that encrypts the saved passwords.</summary>
    public string KeyPath => Passwords.KeyPath!;

    /// <summary>
    /// Opens (creating on first use and migrating) the configuration database at <paramref name="path"/> for its
    /// provider tables. A file that is not a CloudGateway database is refused and left unchanged.
    /// </summary>
    public static SqliteProviderStore Open(string path, TimeProvider? timeProvider = null) => new(SqliteDatabase.Open(path), timeProvider);

    /// <inheritdoc />
    protected override void Dispose(bool disposing) => _database.Dispose();

    private protected override T Read<T>(Func<IProviderTables, T> read) => _database.Read(connection => read(new SqliteProviderTables(connection, null)));

    private protected override T Write<T>(Func<IProviderTables, T> write) =>
        _database.Write((connection, transaction) => write(new SqliteProviderTables(connection, transaction)));
}
