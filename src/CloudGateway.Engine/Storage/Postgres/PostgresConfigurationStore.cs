using System.Net;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// The configuration in a PostgreSQL database, shared by several gateway servers, with the rules of
/// <see cref="ConfigurationStore"/>; changes run SERIALIZABLE (run again when they race another server) and are
/// announced with NOTIFY. The gateways' private key is encrypted under the key file named by
/// <see cref="ConfigurationDatabase.KeyFileVariable"/>, the same file on every server.
/// </summary>
public sealed class PostgresConfigurationStore : ConfigurationStore, IChangeNotifications, ISessionLeaseSource
{
    private readonly PostgresDatabase _database;
    private readonly PostgresChangeListener _listener;

    private PostgresConfigurationStore(PostgresDatabase database, StoredCertificate certificate, TimeProvider time)
        : base(certificate, time)
    {
        _database = database;
        KeyPath = certificate.KeyPath;
        _listener = new PostgresChangeListener(database.DataSource, database.Schema, time);
    }

    /// <summary>
    /// Connects to the database named by an Npgsql connection string, creating the CloudGateway tables in its current
    /// schema on first use; refuses a schema holding other tables or a newer CloudGateway schema.
    /// <paramref name="credential"/>, when given, replaces the connection string's user name and password.
    /// <paramref name="keyFile"/> (by default <see cref="ConfigurationDatabase.KeyFileVariable"/>) encrypts the gateways'
    /// private key; a certificate stored unencrypted by an earlier version is encrypted now when it is set.
    /// </summary>
    public static PostgresConfigurationStore Open(string connectionString, NetworkCredential? credential = null, TimeProvider? time = null, string? keyFile = null)
    {
        var database = PostgresDatabase.Open(connectionString, credential);
        var certificate = StoredCertificate.Shared(keyFile ?? ConfigurationDatabase.KeyFileFromEnvironment(), () => SealedSecrets.In(database));
        return Opened(new PostgresConfigurationStore(database, certificate, time ?? TimeProvider.System));
    }

    /// <summary>The key file that encrypts the gateways' private key, or null when <see cref="ConfigurationDatabase.KeyFileVariable"/> is not set.</summary>
    public string? KeyPath { get; }

    /// <inheritdoc />
    public override string Location => _database.Location;

    /// <inheritdoc />
    public bool IsListening => _listener.IsListening;

    /// <summary>The schema version of the database.</summary>
    public int GetSchemaVersion() => _database.Read((c, t) => Scalar<int>(c, t, "SELECT max(version) FROM cloudgateway_schema"));

    /// <inheritdoc />
    public Task<bool> WaitForChangeAsync(long knownCounter, TimeSpan maxWait, CancellationToken cancellationToken) =>
        _listener.WaitAsync(knownCounter, maxWait, cancellationToken);

    /// <inheritdoc />
    public ISessionLeases OpenSessionLeases(string serverId)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverId);
        return new PostgresSessionLeases(_database, ownsDatabase: false, serverId, PostgresSessionLeases.DefaultLeaseDuration);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _listener.Dispose();
        _database.Dispose();
    }

    private protected override T Read<T>(Func<IConfigurationTables, T> read) => _database.Read((c, t) => read(new PostgresConfigurationTables(c, t)));

    private protected override T Write<T>(Func<IConfigurationTables, T> write) => _database.Write((c, t) => write(new PostgresConfigurationTables(c, t)));
}
