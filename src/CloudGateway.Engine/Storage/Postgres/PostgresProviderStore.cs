using System.Net;
using CloudGateway.Client.Providers;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// The provider store in a PostgreSQL configuration database (migration 0005), with the rules of
/// <see cref="ProviderStore"/>. Passwords are encrypted under the key file <see cref="ConfigurationDatabase.KeyFileVariable"/>
/// names, the one that encrypts the gateways' private key.
/// </summary>
public sealed class PostgresProviderStore : ProviderStore
{
    private readonly PostgresDatabase _database;

    private PostgresProviderStore(PostgresDatabase database, ProviderPasswords passwords, TimeProvider? timeProvider)
        : base(passwords, timeProvider) => _database = database;

    /// <inheritdoc />
    public override string Location => _database.Location;

    /// <summary>The key file that encrypts the saved passwords, or null when none is configured.</summary>
    public string? KeyPath => Passwords.KeyPath;

    /// <summary>
    /// Connects to the database named by an Npgsql connection string, creating the CloudGateway tables on first use;
    /// <paramref name="credential"/>, when given, replaces its user name and password. <paramref name="keyFile"/>
    /// (by default <see cref="ConfigurationDatabase.KeyFileVariable"/>) encrypts the passwords.
    /// </summary>
    public static PostgresProviderStore Open(string connectionString, NetworkCredential? credential = null, TimeProvider? timeProvider = null, string? keyFile = null)
    {
        var database = PostgresDatabase.Open(connectionString, credential);
        return new(database, ProviderPasswords.Shared(keyFile ?? ConfigurationDatabase.KeyFileFromEnvironment(), () => SealedSecrets.In(database)), timeProvider);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing) => _database.Dispose();

    private protected override T Read<T>(Func<IProviderTables, T> read) => _database.Read((c, t) => read(new PostgresProviderTables(c, t)));

    private protected override T Write<T>(Func<IProviderTables, T> write) => _database.Write((c, t) => write(new PostgresProviderTables(c, t)));
}
