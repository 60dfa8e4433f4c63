using System.Globalization;
using CloudGateway.Client;
using CloudGateway.Client.Providers;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// The SQL of each provider table operation (migration 0002), on one SQLite connection and transaction. Names compare
/// with the column's NOCASE collation; ids are GUIDs in text form, times ISO 8601 UTC text.
/// </summary>
internal sealed class SqliteProviderTables(SqliteConnection connection, SqliteTransaction? transaction) : IProviderTables
{
    private const string ProviderColumns =
        "id, name, address, port, tenant_name, certificate_thumbprint, last_refresh, created, modified, next_certificate_thumbprint, next_certificate_learned";

    private const string GatewayColumns = "name, address, port, fallback, consecutive_failures, last_failure, last_error, last_success, cool_down_until";

    public List<CloudProvider> ReadProviders(string? name) => connection.Query(transaction,
            $"SELECT {ProviderColumns} FROM tenant_providers {(name is null ? "" : "WHERE name = $name")} ORDER BY name",
            ReadProvider, ("$name", name))
        .Select(provider => provider with { Gateways = ReadGateways(provider.Id) })
        .ToList();

    public (Guid Id, string TenantName, byte[] ProtectedPassword)? ReadCredential(string name) => connection.Query(transaction,
            "SELECT id, tenant_name, protected_password FROM tenant_providers WHERE name = $name",
            reader => (Guid.Parse(reader.GetString(0)), reader.GetString(1), (byte[])reader.GetValue(2)), ("$name", name))
        is [var credential] ? credential : null;

    public void InsertProvider(CloudProvider provider, byte[] protectedPassword) => connection.Execute(transaction, """
        INSERT INTO tenant_providers (id, name, address, port, tenant_name, protected_password, certificate_thumbprint, last_refresh, created, modified,
            next_certificate_thumbprint, next_certificate_learned)
        VALUES ($id, $name, $address, $port, $tenant, $password, $thumbprint, $refresh, $created, $modified, $next, $learned)
        """,
        [.. ProviderParameters(provider), ("$password", protectedPassword)]);

    public void UpdateProvider(CloudProvider provider, byte[]? protectedPassword) => connection.Execute(transaction, """
        UPDATE tenant_providers SET name = $name, address = $address, port = $port, tenant_name = $tenant,
            certificate_thumbprint = $thumbprint, last_refresh = $refresh, modified = $modified,
            next_certificate_thumbprint = $next, next_certificate_learned = $learned,
            protected_password = coalesce($password, protected_password)
        WHERE id = $id
        """,
        [.. ProviderParameters(provider), ("$password", protectedPassword)]);

    public int DeleteProvider(string name) => connection.Execute(transaction, "DELETE FROM tenant_providers WHERE name = $name", ("$name", name));

    public void WriteLastRefresh(Guid providerId, DateTimeOffset refreshedAt) => connection.Execute(transaction,
        "UPDATE tenant_providers SET last_refresh = $refresh WHERE id = $id", ("$refresh", Text(refreshedAt)), ("$id", providerId.ToString()));

    public void WriteGateways(Guid providerId, IReadOnlyList<KnownGateway> gateways)
    {
        connection.Execute(transaction, "DELETE FROM tenant_provider_gateways WHERE provider_id = $id", ("$id", providerId.ToString()));
        for (var position = 0; position < gateways.Count; position++)
        {
            var gateway = gateways[position];
            connection.Execute(transaction, $"""
                INSERT INTO tenant_provider_gateways (provider_id, position, {GatewayColumns})
                VALUES ($id, $position, $gateway, $address, $port, $fallback, $failures, $lastFailure, $lastError, $lastSuccess, $coolDown)
                """,
                [("$id", providerId.ToString()), ("$position", position), ("$gateway", gateway.Name), ("$address", gateway.Address),
                    ("$port", gateway.Port), ("$fallback", gateway.Fallback ? 1 : 0), .. HealthParameters(gateway.Health)]);
        }
    }

    public int WriteGatewayHealth(string name, string gatewayName, GatewayHealth health) => connection.Execute(transaction, """
        UPDATE tenant_provider_gateways SET consecutive_failures = $failures, last_failure = $lastFailure,
            last_error = $lastError, last_success = $lastSuccess, cool_down_until = $coolDown
        WHERE name = $gateway AND provider_id = (SELECT id FROM tenant_providers WHERE name = $name)
        """,
        [("$name", name), ("$gateway", gatewayName), .. HealthParameters(health)]);

    public int WritePins(string name, CertificatePins pins) => connection.Execute(transaction, """
        UPDATE tenant_providers SET certificate_thumbprint = $thumbprint, next_certificate_thumbprint = $next, next_certificate_learned = $learned
        WHERE name = $name
        """,
        ("$name", name), ("$thumbprint", pins.Thumbprint), ("$next", pins.NextThumbprint), ("$learned", Text(pins.NextLearned)));

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

    private List<KnownGateway> ReadGateways(Guid providerId) => connection.Query(transaction,
        $"SELECT {GatewayColumns} FROM tenant_provider_gateways WHERE provider_id = $id ORDER BY position",
        reader => new KnownGateway
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
        },
        ("$id", providerId.ToString()));

    private static (string Name, object? Value)[] ProviderParameters(CloudProvider provider) =>
    [
        ("$id", provider.Id.ToString()), ("$name", provider.Name), ("$address", provider.Address), ("$port", provider.Port),
        ("$tenant", provider.TenantName), ("$thumbprint", provider.CertificateThumbprint), ("$refresh", Text(provider.LastRefresh)),
        ("$created", Text(provider.Created)), ("$modified", Text(provider.Modified)), ("$next", provider.NextCertificateThumbprint),
        ("$learned", Text(provider.NextCertificateLearned)),
    ];

    private static (string Name, object? Value)[] HealthParameters(GatewayHealth health) =>
    [
        ("$failures", health.ConsecutiveFailures), ("$lastFailure", Text(health.LastFailure)), ("$lastError", health.LastError),
        ("$lastSuccess", Text(health.LastSuccess)), ("$coolDown", Text(health.CoolDownUntil)),
    ];

    private static string? Text(DateTimeOffset? value) => value?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal)
        ? null
        : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
