using System.Net;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// The configuration in a PostgreSQL database, shared by several gateway servers. Same rules and error codes as the
/// SQLite store; changes run SERIALIZABLE (retried when they race another server) and are announced with NOTIFY.
/// </summary>
public sealed partial class PostgresConfigurationStore : IConfigurationStore, IChangeNotifications, ISessionLeaseSource
{
    private readonly PostgresDatabase _database;
    private readonly PostgresChangeListener _listener;
    private readonly TimeProvider _timeProvider;

    private PostgresConfigurationStore(PostgresDatabase database, TimeProvider timeProvider)
    {
        _database = database;
        _timeProvider = timeProvider;
        _listener = new PostgresChangeListener(database.DataSource, database.Schema, timeProvider);
    }

    /// <summary>
    /// Connects to the database named by an Npgsql connection string, creating the CloudGateway tables in its current
    /// schema on first use; refuses a schema holding other tables or a newer CloudGateway schema.
    /// <paramref name="credential"/>, when given, replaces the connection string's user name and password.
    /// </summary>
    public static PostgresConfigurationStore Open(string connectionString, NetworkCredential? credential = null, TimeProvider? timeProvider = null) =>
        new(PostgresDatabase.Open(connectionString, credential), timeProvider ?? TimeProvider.System);

    /// <inheritdoc />
    public string Location => _database.Location;

    /// <inheritdoc />
    public bool IsListening => _listener.IsListening;

    private DateTimeOffset Now => _timeProvider.GetUtcNow();

    /// <inheritdoc />
    public long GetChangeCounter() =>
        _database.Read((c, t) => Scalar<long>(c, t, "SELECT value FROM change_counter WHERE id = 1"));

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
    public byte[]? GetGatewayCertificate() =>
        _database.Read((c, t) => Scalar<byte[]>(c, t, "SELECT pkcs12 FROM gateway_certificate WHERE id = 1"));

    /// <inheritdoc />
    public void SetGatewayCertificate(byte[] pkcs12)
    {
        ArgumentNullException.ThrowIfNull(pkcs12);
        if (pkcs12.Length == 0)
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, "The certificate is empty.");
        }

        _database.Write((c, t) => Execute(c, t,
            "INSERT INTO gateway_certificate (id, pkcs12) VALUES (1, @p) ON CONFLICT (id) DO UPDATE SET pkcs12 = excluded.pkcs12",
            ("p", pkcs12)));
    }

    /// <inheritdoc />
    public ConfigurationSnapshot ReadSnapshot() => _database.Read((c, t) => new ConfigurationSnapshot(
        Scalar<long>(c, t, "SELECT value FROM change_counter WHERE id = 1"),
        ReadGateways(c, t, null),
        ReadPools(c, t, null),
        ReadTenants(c, t, null).Select(row => new TenantCredential(row.Tenant, row.PasswordHash)).ToList(),
        ReadResources(c, t, null)));

    /// <inheritdoc />
    public void Dispose()
    {
        _listener.Dispose();
        _database.Dispose();
    }

    private static GatewayException NotFound(string what, string name) =>
        new(GatewayErrorCode.NotFound, $"There is no {what} named '{name}'.", name);

    private static GatewayException Duplicate(string what, string name) =>
        new(GatewayErrorCode.DuplicateName, $"A {what} named '{name}' already exists.", name);

    private static Guid? FindId(NpgsqlConnection c, NpgsqlTransaction t, string table, string name) =>
        Scalar<Guid?>(c, t, $"SELECT id FROM {table} WHERE lower(name) = lower(@n)", ("n", name));
}
