using System.Globalization;
using System.Net;
using CloudGateway.Client;
using CloudGateway.Client.Providers;
using CloudGateway.Security;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// The provider store in the configuration database (tables of migration 0002). Passwords are encrypted with
/// <see cref="SecretProtector"/> under a key file beside the database.
/// </summary>
public sealed class SqliteProviderStore : IProviderStore
{
    private const string ProviderColumns = "id, name, address, port, tenant_name, certificate_thumbprint, last_refresh, created, modified, next_certificate_thumbprint, next_certificate_learned";
    private readonly SqliteDatabase _database;
    private readonly SecretProtector _secrets;
    private readonly TimeProvider _timeProvider;

    internal SqliteProviderStore(SqliteDatabase database, TimeProvider? timeProvider = null)
    {
        _database = database;
        _secrets = new SecretProtector(SecretProtector.KeyPathFor(database.Path));
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Location => _database.Path;

    /// <summary>The key file that encrypts the saved passwords.</summary>
    public string KeyPath => _secrets.KeyPath;

    /// <summary>
    /// Opens (creating on first use and migrating) the configuration database at <paramref name="path"/> for its
    /// provider tables. A file that is not a CloudGateway database is refused and left unchanged.
    /// </summary>
    public static SqliteProviderStore Open(string path, TimeProvider? timeProvider = null) => new(SqliteDatabase.Open(path), timeProvider);

    /// <inheritdoc />
    public IReadOnlyList<CloudProvider> GetProviders() => _database.Read(connection =>
    {
        using var command = Command(connection, null);
        command.CommandText = $"SELECT {ProviderColumns} FROM tenant_providers ORDER BY name";
        var providers = new List<CloudProvider>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                providers.Add(ReadProvider(reader));
            }
        }

        return (IReadOnlyList<CloudProvider>)[.. providers.Select(p => p with { Gateways = ReadGateways(connection, null, p.Id) })];
    });

    /// <inheritdoc />
    public CloudProvider GetProvider(string name) => _database.Read(connection => Find(connection, null, name) ?? throw NotFound(name));

    /// <inheritdoc />
    public CloudProvider AddProvider(CloudProvider provider, string password)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var valid = provider.Validated();
        CheckPassword(password, valid.Name);
        var now = _timeProvider.GetUtcNow();
        var stored = valid with { Created = now, Modified = now };
        return _database.Write((connection, transaction) =>
        {
            if (Find(connection, transaction, stored.Name) is not null)
            {
                throw new GatewayException(GatewayErrorCode.DuplicateName, $"A provider named '{stored.Name}' already exists.", stored.Name);
            }

            using var command = Command(connection, transaction);
            command.CommandText = """
                INSERT INTO tenant_providers (id, name, address, port, tenant_name, protected_password, certificate_thumbprint, last_refresh, created, modified,
                    next_certificate_thumbprint, next_certificate_learned)
                VALUES ($id, $name, $address, $port, $tenant, $password, $thumbprint, $refresh, $created, $modified, $next, $learned)
                """;
            Bind(command, stored);
            command.Parameters.AddWithValue("$password", _secrets.Protect(password, stored.Id));
            command.ExecuteNonQuery();
            WriteGateways(connection, transaction, stored.Id, stored.Gateways);
            return stored;
        });
    }

    /// <inheritdoc />
    public CloudProvider UpdateProvider(string name, Func<CloudProvider, CloudProvider> change, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (password is not null)
        {
            CheckPassword(password, name);
        }

        return _database.Write((connection, transaction) =>
        {
            var current = Find(connection, transaction, name) ?? throw NotFound(name);
            var changed = change(current).Validated() with { Id = current.Id, Created = current.Created, Modified = _timeProvider.GetUtcNow() };
            if (!string.Equals(changed.Name, current.Name, StringComparison.OrdinalIgnoreCase) && Find(connection, transaction, changed.Name) is not null)
            {
                throw new GatewayException(GatewayErrorCode.DuplicateName, $"A provider named '{changed.Name}' already exists.", changed.Name);
            }

            using var command = Command(connection, transaction);
            command.CommandText = """
                UPDATE tenant_providers SET name = $name, address = $address, port = $port, tenant_name = $tenant,
                    certificate_thumbprint = $thumbprint, last_refresh = $refresh, modified = $modified,
                    next_certificate_thumbprint = $next, next_certificate_learned = $learned,
                    protected_password = coalesce($password, protected_password)
                WHERE id = $id
                """;
            Bind(command, changed);
            command.Parameters.AddWithValue("$password", password is null ? DBNull.Value : _secrets.Protect(password, changed.Id));
            command.ExecuteNonQuery();
            WriteGateways(connection, transaction, changed.Id, changed.Gateways);
            return changed;
        });
    }

    /// <inheritdoc />
    public void RemoveProvider(string name) => _database.Write((connection, transaction) =>
    {
        using var command = Command(connection, transaction);
        command.CommandText = "DELETE FROM tenant_providers WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteNonQuery() == 1 ? 1 : throw NotFound(name);
    });

    /// <inheritdoc />
    public NetworkCredential GetCredential(string name)
    {
        var (id, tenant, blob) = _database.Read(connection =>
        {
            using var command = Command(connection, null);
            command.CommandText = "SELECT id, tenant_name, protected_password FROM tenant_providers WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? (Guid.Parse(reader.GetString(0)), reader.GetString(1), (byte[])reader.GetValue(2))
                : throw NotFound(name);
        });
        return new NetworkCredential(tenant, _secrets.Unprotect(blob, id, $"provider '{name}'"));
    }

    /// <inheritdoc />
    public void SaveGatewayList(string name, IReadOnlyList<KnownGateway> gateways, DateTimeOffset refreshedAt)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        _database.Write((connection, transaction) =>
        {
            var provider = Find(connection, transaction, name) ?? throw NotFound(name);
            using var command = Command(connection, transaction);
            command.CommandText = "UPDATE tenant_providers SET last_refresh = $refresh WHERE id = $id";
            command.Parameters.AddWithValue("$refresh", Text(refreshedAt));
            command.Parameters.AddWithValue("$id", provider.Id.ToString());
            command.ExecuteNonQuery();
            WriteGateways(connection, transaction, provider.Id, gateways);
            return 0;
        });
    }

    /// <inheritdoc />
    public void SaveGatewayHealth(string name, string gatewayName, GatewayHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        _database.Write((connection, transaction) =>
        {
            using var command = Command(connection, transaction);
            command.CommandText = """
                UPDATE tenant_provider_gateways SET consecutive_failures = $failures, last_failure = $lastFailure,
                    last_error = $lastError, last_success = $lastSuccess, cool_down_until = $coolDown
                WHERE name = $gateway AND provider_id = (SELECT id FROM tenant_providers WHERE name = $name)
                """;
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$gateway", gatewayName);
            BindHealth(command, health);
            return command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public void SaveCertificatePins(string name, CertificatePins pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        _database.Write((connection, transaction) =>
        {
            using var command = Command(connection, transaction);
            command.CommandText = """
                UPDATE tenant_providers SET certificate_thumbprint = $thumbprint, next_certificate_thumbprint = $next, next_certificate_learned = $learned
                WHERE name = $name
                """;
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$thumbprint", (object?)pins.Thumbprint ?? DBNull.Value);
            command.Parameters.AddWithValue("$next", (object?)pins.NextThumbprint ?? DBNull.Value);
            command.Parameters.AddWithValue("$learned", Text(pins.NextLearned));
            return command.ExecuteNonQuery() == 1 ? 1 : throw NotFound(name);
        });
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    private static void CheckPassword(string password, string name)
    {
        if (string.IsNullOrEmpty(password))
        {
            GatewayException.ThrowIfInvalid($"Provider '{name}'", name, [new ValidationProblem("Credential", "has no password")]);
        }
    }

    private static CloudProvider? Find(SqliteConnection connection, SqliteTransaction? transaction, string name)
    {
        using var command = Command(connection, transaction);
        command.CommandText = $"SELECT {ProviderColumns} FROM tenant_providers WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        CloudProvider provider;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            provider = ReadProvider(reader);
        }

        return provider with { Gateways = ReadGateways(connection, transaction, provider.Id) };
    }

    private static CloudProvider ReadProvider(SqliteDataReader reader) => new()
    {
        Id = Guid.Parse(reader.GetString(0)),
        Name = reader.GetString(1),
        Address = reader.GetString(2),
        Port = reader.GetInt32(3),
        TenantName = reader.GetString(4),
        CertificateThumbprint = reader.IsDBNull(5) ? null : reader.GetString(5),
        LastRefresh = Time(reader, 6),
        Created = Time(reader, 7)!.Value,
        Modified = Time(reader, 8)!.Value,
        NextCertificateThumbprint = reader.IsDBNull(9) ? null : reader.GetString(9),
        NextCertificateLearned = Time(reader, 10),
    };

    private static List<KnownGateway> ReadGateways(SqliteConnection connection, SqliteTransaction? transaction, Guid providerId)
    {
        using var command = Command(connection, transaction);
        command.CommandText = """
            SELECT name, address, port, fallback, consecutive_failures, last_failure, last_error, last_success, cool_down_until
            FROM tenant_provider_gateways WHERE provider_id = $id ORDER BY position
            """;
        command.Parameters.AddWithValue("$id", providerId.ToString());
        using var reader = command.ExecuteReader();
        var gateways = new List<KnownGateway>();
        while (reader.Read())
        {
            gateways.Add(new KnownGateway
            {
                Name = reader.GetString(0),
                Address = reader.GetString(1),
                Port = reader.GetInt32(2),
                Fallback = reader.GetInt64(3) != 0,
                Health = new GatewayHealth
                {
                    ConsecutiveFailures = reader.GetInt32(4),
                    LastFailure = Time(reader, 5),
                    LastError = reader.IsDBNull(6) ? null : reader.GetString(6),
                    LastSuccess = Time(reader, 7),
                    CoolDownUntil = Time(reader, 8),
                },
            });
        }

        return gateways;
    }

    private static void WriteGateways(SqliteConnection connection, SqliteTransaction? transaction, Guid providerId, IReadOnlyList<KnownGateway> gateways)
    {
        using (var delete = Command(connection, transaction))
        {
            delete.CommandText = "DELETE FROM tenant_provider_gateways WHERE provider_id = $id";
            delete.Parameters.AddWithValue("$id", providerId.ToString());
            delete.ExecuteNonQuery();
        }

        for (var position = 0; position < gateways.Count; position++)
        {
            var gateway = gateways[position];
            using var insert = Command(connection, transaction);
            insert.CommandText = """
                INSERT INTO tenant_provider_gateways (provider_id, position, name, address, port, fallback,
                    consecutive_failures, last_failure, last_error, last_success, cool_down_until)
                VALUES ($id, $position, $gateway, $address, $port, $fallback, $failures, $lastFailure, $lastError, $lastSuccess, $coolDown)
                """;
            insert.Parameters.AddWithValue("$id", providerId.ToString());
            insert.Parameters.AddWithValue("$position", position);
            insert.Parameters.AddWithValue("$gateway", gateway.Name);
            insert.Parameters.AddWithValue("$address", gateway.Address);
            insert.Parameters.AddWithValue("$port", gateway.Port);
            insert.Parameters.AddWithValue("$fallback", gateway.Fallback ? 1 : 0);
            BindHealth(insert, gateway.Health);
            insert.ExecuteNonQuery();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        return command;
    }

    private static void Bind(SqliteCommand command, CloudProvider provider)
    {
        command.Parameters.AddWithValue("$id", provider.Id.ToString());
        command.Parameters.AddWithValue("$name", provider.Name);
        command.Parameters.AddWithValue("$address", provider.Address);
        command.Parameters.AddWithValue("$port", provider.Port);
        command.Parameters.AddWithValue("$tenant", provider.TenantName);
        command.Parameters.AddWithValue("$thumbprint", (object?)provider.CertificateThumbprint ?? DBNull.Value);
        command.Parameters.AddWithValue("$refresh", Text(provider.LastRefresh));
        command.Parameters.AddWithValue("$created", Text(provider.Created));
        command.Parameters.AddWithValue("$modified", Text(provider.Modified));
        command.Parameters.AddWithValue("$next", (object?)provider.NextCertificateThumbprint ?? DBNull.Value);
        command.Parameters.AddWithValue("$learned", Text(provider.NextCertificateLearned));
    }

    private static void BindHealth(SqliteCommand command, GatewayHealth health)
    {
        command.Parameters.AddWithValue("$failures", health.ConsecutiveFailures);
        command.Parameters.AddWithValue("$lastFailure", Text(health.LastFailure));
        command.Parameters.AddWithValue("$lastError", (object?)health.LastError ?? DBNull.Value);
        command.Parameters.AddWithValue("$lastSuccess", Text(health.LastSuccess));
        command.Parameters.AddWithValue("$coolDown", Text(health.CoolDownUntil));
    }

    private static object Text(DateTimeOffset? value) => value is { } v ? v.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) : DBNull.Value;

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal)
        ? null
        : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static GatewayException NotFound(string name) => new(GatewayErrorCode.NotFound, $"There is no provider named '{name}'.", name);
}
