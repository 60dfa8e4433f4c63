using CloudGateway.Client;
using CloudGateway.Client.Providers;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// The SQL of each provider table operation (migration 0005), on one PostgreSQL connection and transaction. Names
/// compare as SQLite's NOCASE does: <c>lower()</c> under <c>COLLATE "C"</c>, which folds ASCII letters only.
/// </summary>
internal sealed class PostgresProviderTables(NpgsqlConnection c, NpgsqlTransaction t) : IProviderTables
{
    private const string ProviderColumns =
        "p.id, p.name, p.address, p.port, p.tenant_name, p.certificate_thumbprint, p.last_refresh, p.created, p.modified, p.next_certificate_thumbprint, p.next_certificate_learned";

    private const string GatewayColumns = "name, address, port, fallback, consecutive_failures, last_failure, last_error, last_success, cool_down_until";

    private const string NameKey = "lower(p.name COLLATE \"C\")";

    private const string NameIs = $"{NameKey} = lower(@name COLLATE \"C\")";

    public List<CloudProvider> ReadProviders(string? name)
    {
        var gateways = Query(c, t,
            "SELECT g.provider_id, g.name, g.address, g.port, g.fallback, g.consecutive_failures, g.last_failure, g.last_error, g.last_success, g.cool_down_until " +
            $"FROM tenant_provider_gateways g JOIN tenant_providers p ON p.id = g.provider_id WHERE @name::text IS NULL OR {NameIs} ORDER BY g.provider_id, g.position",
            r => (Provider: r.GetGuid(0), Gateway: ReadGateway(r)), ("name", name)).ToLookup(g => g.Provider, g => g.Gateway);
        return Query(c, t, $"SELECT {ProviderColumns} FROM tenant_providers p WHERE @name::text IS NULL OR {NameIs} ORDER BY {NameKey}",
            r => ReadProvider(r) with { Gateways = gateways[r.GetGuid(0)].ToList() }, ("name", name));
    }

    public (Guid Id, string TenantName, byte[] ProtectedPassword)? ReadCredential(string name) => Query(c, t,
            $"SELECT p.id, p.tenant_name, p.protected_password FROM tenant_providers p WHERE {NameIs}",
            r => (r.GetGuid(0), r.GetString(1), r.GetFieldValue<byte[]>(2)), ("name", name))
        is [var credential] ? credential : null;

    public void InsertProvider(CloudProvider provider, byte[] protectedPassword) => Execute(c, t, """
        INSERT INTO tenant_providers (id, name, address, port, tenant_name, protected_password, certificate_thumbprint, last_refresh, created, modified,
            next_certificate_thumbprint, next_certificate_learned)
        VALUES (@id, @name, @address, @port, @tenant, @password, @thumbprint::text, @refresh::timestamptz, @created, @modified, @next::text, @learned::timestamptz)
        """,
        [.. ProviderParameters(provider), ("password", protectedPassword)]);

    public void UpdateProvider(CloudProvider provider, byte[]? protectedPassword) => Execute(c, t, """
        UPDATE tenant_providers SET name = @name, address = @address, port = @port, tenant_name = @tenant,
            certificate_thumbprint = @thumbprint::text, last_refresh = @refresh::timestamptz, modified = @modified,
            next_certificate_thumbprint = @next::text, next_certificate_learned = @learned::timestamptz,
            protected_password = coalesce(@password::bytea, protected_password)
        WHERE id = @id
        """,
        [.. ProviderParameters(provider), ("password", protectedPassword)]);

    public int DeleteProvider(string name) => Execute(c, t, $"DELETE FROM tenant_providers p WHERE {NameIs}", ("name", name));

    public void WriteLastRefresh(Guid providerId, DateTimeOffset refreshedAt) =>
        Execute(c, t, "UPDATE tenant_providers SET last_refresh = @refresh WHERE id = @id", ("refresh", Utc(refreshedAt)), ("id", providerId));

    public void WriteGateways(Guid providerId, IReadOnlyList<KnownGateway> gateways)
    {
        Execute(c, t, "DELETE FROM tenant_provider_gateways WHERE provider_id = @id", ("id", providerId));
        for (var position = 0; position < gateways.Count; position++)
        {
            var gateway = gateways[position];
            Execute(c, t, $"""
                INSERT INTO tenant_provider_gateways (provider_id, position, {GatewayColumns})
                VALUES (@id, @position, @gateway, @address, @port, @fallback, @failures, @lastFailure::timestamptz, @lastError::text,
                    @lastSuccess::timestamptz, @coolDown::timestamptz)
                """,
                [("id", providerId), ("position", position), ("gateway", gateway.Name), ("address", gateway.Address), ("port", gateway.Port),
                    ("fallback", gateway.Fallback), .. HealthParameters(gateway.Health)]);
        }
    }

    public int WriteGatewayHealth(string name, string gatewayName, GatewayHealth health) => Execute(c, t, $"""
        UPDATE tenant_provider_gateways SET consecutive_failures = @failures, last_failure = @lastFailure::timestamptz,
            last_error = @lastError::text, last_success = @lastSuccess::timestamptz, cool_down_until = @coolDown::timestamptz
        WHERE name = @gateway AND provider_id = (SELECT p.id FROM tenant_providers p WHERE {NameIs})
        """,
        [("name", name), ("gateway", gatewayName), .. HealthParameters(health)]);

    public int WritePins(string name, CertificatePins pins) => Execute(c, t, $"""
        UPDATE tenant_providers p SET certificate_thumbprint = @thumbprint::text, next_certificate_thumbprint = @next::text,
            next_certificate_learned = @learned::timestamptz
        WHERE {NameIs}
        """,
        ("name", name), ("thumbprint", pins.Thumbprint), ("next", pins.NextThumbprint), ("learned", Utc(pins.NextLearned)));

    private static CloudProvider ReadProvider(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        Name = r.GetString(1),
        Address = r.GetString(2),
        Port = r.GetInt32(3),
        TenantName = r.GetString(4),
        CertificateThumbprint = r.IsDBNull(5) ? null : r.GetString(5),
        LastRefresh = NullableTime(r, 6),
        Created = Time(r, 7),
        Modified = Time(r, 8),
        NextCertificateThumbprint = r.IsDBNull(9) ? null : r.GetString(9),
        NextCertificateLearned = NullableTime(r, 10),
    };

    // Columns from ordinal 1: the provider's id comes first.
    private static KnownGateway ReadGateway(NpgsqlDataReader r) => new()
    {
        Name = r.GetString(1),
        Address = r.GetString(2),
        Port = r.GetInt32(3),
        Fallback = r.GetBoolean(4),
        Health = new GatewayHealth
        {
            ConsecutiveFailures = r.GetInt32(5),
            LastFailure = NullableTime(r, 6),
            LastError = r.IsDBNull(7) ? null : r.GetString(7),
            LastSuccess = NullableTime(r, 8),
            CoolDownUntil = NullableTime(r, 9),
        },
    };

    private static (string Name, object? Value)[] ProviderParameters(CloudProvider provider) =>
    [
        ("id", provider.Id), ("name", provider.Name), ("address", provider.Address), ("port", provider.Port), ("tenant", provider.TenantName),
        ("thumbprint", provider.CertificateThumbprint), ("refresh", Utc(provider.LastRefresh)), ("created", Utc(provider.Created)),
        ("modified", Utc(provider.Modified)), ("next", provider.NextCertificateThumbprint), ("learned", Utc(provider.NextCertificateLearned)),
    ];

    private static (string Name, object? Value)[] HealthParameters(GatewayHealth health) =>
    [
        ("failures", health.ConsecutiveFailures), ("lastFailure", Utc(health.LastFailure)), ("lastError", health.LastError),
        ("lastSuccess", Utc(health.LastSuccess)), ("coolDown", Utc(health.CoolDownUntil)),
    ];
}
