using System.Net;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// The configuration in a PostgreSQL database, shared by several gateway servers. Same rules and error codes as the
/// SQLite store (the validators and <see cref="ConfigurationGuards"/> are shared); changes run SERIALIZABLE (run
/// again when they race another server) and are announced with NOTIFY. The gateways' private key is encrypted under the
/// key file named by <see cref="ConfigurationDatabase.KeyFileVariable"/>, the same file on every server.
/// </summary>
public sealed partial class PostgresConfigurationStore : IConfigurationStore, IChangeNotifications, ISessionLeaseSource
{
    private readonly PostgresDatabase _database;
    private readonly PostgresChangeListener _listener;
    private readonly StoredCertificate _certificate;
    private readonly TimeProvider _time;

    private PostgresConfigurationStore(PostgresDatabase database, StoredCertificate certificate, TimeProvider time)
    {
        _database = database;
        _certificate = certificate;
        _time = time;
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
        var certificate = StoredCertificate.Shared(keyFile ?? ConfigurationDatabase.KeyFileFromEnvironment());
        var store = new PostgresConfigurationStore(PostgresDatabase.Open(connectionString, credential), certificate, time ?? TimeProvider.System);
        try
        {
            store.SealLegacyCertificate();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The key file that encrypts the gateways' private key, or null when <see cref="ConfigurationDatabase.KeyFileVariable"/> is not set.</summary>
    public string? KeyPath => _certificate.KeyPath;

    /// <inheritdoc />
    public string Location => _database.Location;

    /// <inheritdoc />
    public bool IsListening => _listener.IsListening;

    /// <inheritdoc />
    public long GetChangeCounter() => _database.Read(ChangeCounter);

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
    public byte[]? GetGatewayCertificate() => _database.Read(StoredPkcs12) is { } stored ? _certificate.Open(stored) : null;

    /// <inheritdoc />
    public void SetGatewayCertificate(byte[] pkcs12)
    {
        ArgumentNullException.ThrowIfNull(pkcs12);
        if (pkcs12.Length == 0)
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, "The gateways' certificate must not be empty.");
        }

        var sealedPkcs12 = _certificate.Seal(pkcs12);
        _database.Write((c, t) => Execute(c, t,
            "INSERT INTO gateway_certificate (id, pkcs12, modified) VALUES (1, @p, @now) ON CONFLICT (id) DO UPDATE SET pkcs12 = excluded.pkcs12, modified = excluded.modified",
            ("p", sealedPkcs12), ("now", Utc(_time.GetUtcNow()))));
    }

    /// <inheritdoc />
    public ConfigurationSnapshot ReadSnapshot() => _database.Read(Snapshot);

    /// <inheritdoc />
    public void Dispose()
    {
        _listener.Dispose();
        _database.Dispose();
    }

    private static byte[]? StoredPkcs12(NpgsqlConnection c, NpgsqlTransaction t) => Scalar<byte[]>(c, t, "SELECT pkcs12 FROM gateway_certificate WHERE id = 1");

    // A read first, so that only a database still holding a bare certificate is written to when opened.
    private void SealLegacyCertificate()
    {
        if (_database.Read(StoredPkcs12) is not { } stored || !_certificate.NeedsSealing(stored))
        {
            return;
        }

        _database.Write((c, t) => StoredPkcs12(c, t) is { } current && _certificate.NeedsSealing(current)
            ? Execute(c, t, "UPDATE gateway_certificate SET pkcs12 = @p WHERE id = 1", ("p", _certificate.Seal(current)))
            : 0);
    }

    private static long ChangeCounter(NpgsqlConnection c, NpgsqlTransaction t) =>
        Scalar<long>(c, t, "SELECT value FROM change_counter WHERE id = 1");

    private static ConfigurationSnapshot Snapshot(NpgsqlConnection c, NpgsqlTransaction t) =>
        new(ChangeCounter(c, t), ReadGateways(c, t, null), ReadPools(c, t, null), ReadTenants(c, t, null), ReadResources(c, t, null, null));

    private static Guid? FindId(NpgsqlConnection c, NpgsqlTransaction t, string table, string name) =>
        Scalar<Guid?>(c, t, $"SELECT id FROM {table} WHERE name_key = @key", ("key", Key(name)));

    /// <summary>The name must be free (ignoring case) and, for a new object, its id unused.</summary>
    private static void EnsureNameFree(NpgsqlConnection c, NpgsqlTransaction t, string table, string kind, string name, Guid id, bool isNew)
    {
        if (Scalar<string>(c, t, $"SELECT name FROM {table} WHERE name_key = @key AND id <> @id", ("key", Key(name)), ("id", id)) is { } owner)
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"A {kind} named '{owner}' already exists (names are compared without regard to case).", name);
        }

        if (isNew && Scalar<long>(c, t, $"SELECT count(*) FROM {table} WHERE id = @id", ("id", id)) > 0)
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"Another {kind} already has the id {id}.", name);
        }

        var current = isNew ? null : Scalar<string>(c, t, $"SELECT name FROM {table} WHERE id = @id", ("id", id));
        ConfigurationGuards.CheckNotLookalike(kind, name, current, Query(c, t, $"SELECT name FROM {table} WHERE id <> @id", r => r.GetString(0), ("id", id)));
    }
}
