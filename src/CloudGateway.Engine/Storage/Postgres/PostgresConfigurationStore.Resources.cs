using CloudGateway.Model;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

public sealed partial class PostgresConfigurationStore
{
    /// <inheritdoc />
    public IReadOnlyList<TenantResource> GetResources(string? tenant = null) => _database.Read((c, t) =>
    {
        if (tenant is not null && FindId(c, t, "tenants", tenant) is null)
        {
            throw NotFound("tenant", tenant);
        }

        return ReadResources(c, t, tenant);
    });

    /// <inheritdoc />
    public TenantResource GetResource(string tenant, string name) => _database.Read((c, t) => ReadResource(c, t, tenant, name));

    /// <inheritdoc />
    public TenantResource AddResource(TenantResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var now = Now;
        var stored = resource with { Created = now, Modified = now };
        Validate.Resource(stored);
        return _database.Write((c, t) =>
        {
            var tenantId = FindId(c, t, "tenants", stored.Tenant) ?? throw NotFound("tenant", stored.Tenant);
            if (FindResourceId(c, t, tenantId, stored.Name) is not null)
            {
                throw Duplicate("resource", stored.Name);
            }

            Execute(c, t,
                "INSERT INTO resources (id, tenant_id, name, target_host, target_port, description, created, modified) " +
                "VALUES (@id, @tenant, @name, @host, @port, @description, @created, @modified)",
                ResourceParameters(stored, tenantId));
            return ReadResource(c, t, stored.Tenant, stored.Name);
        });
    }

    /// <inheritdoc />
    public TenantResource UpdateResource(string tenant, string name, Func<TenantResource, TenantResource> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var current = ReadResource(c, t, tenant, name);
            var changed = change(current) with { Id = current.Id, Tenant = current.Tenant, Created = current.Created, Modified = Now };
            Validate.Resource(changed);
            var tenantId = FindId(c, t, "tenants", current.Tenant)!.Value;
            if (FindResourceId(c, t, tenantId, changed.Name) is { } other && other != current.Id)
            {
                throw Duplicate("resource", changed.Name);
            }

            Execute(c, t,
                "UPDATE resources SET name = @name, target_host = @host, target_port = @port, description = @description, modified = @modified WHERE id = @id",
                ResourceParameters(changed, tenantId));
            return ReadResource(c, t, changed.Tenant, changed.Name);
        });
    }

    /// <inheritdoc />
    public void RemoveResource(string tenant, string name) => _database.Write((c, t) =>
    {
        var current = ReadResource(c, t, tenant, name);
        return Execute(c, t, "DELETE FROM resources WHERE id = @id", ("id", current.Id));
    });

    private static Guid? FindResourceId(NpgsqlConnection c, NpgsqlTransaction t, Guid tenantId, string name) =>
        Scalar<Guid?>(c, t, "SELECT id FROM resources WHERE tenant_id = @tenant AND lower(name) = lower(@n)", ("tenant", tenantId), ("n", name));

    private static TenantResource ReadResource(NpgsqlConnection c, NpgsqlTransaction t, string tenant, string name)
    {
        if (FindId(c, t, "tenants", tenant) is null)
        {
            throw NotFound("tenant", tenant);
        }

        return ReadResources(c, t, tenant).SingleOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new GatewayException(GatewayErrorCode.NotFound, $"Tenant '{tenant}' has no resource named '{name}'.", name);
    }

    private static List<TenantResource> ReadResources(NpgsqlConnection c, NpgsqlTransaction t, string? tenant) => Query(c, t,
        "SELECT r.id, tn.name, r.name, r.target_host, r.target_port, r.description, r.created, r.modified " +
        "FROM resources r JOIN tenants tn ON tn.id = r.tenant_id WHERE @tenant::text IS NULL OR lower(tn.name) = lower(@tenant) " +
        "ORDER BY lower(tn.name), tn.name, lower(r.name), r.name",
        r => new TenantResource
        {
            Id = r.GetGuid(0),
            Tenant = r.GetString(1),
            Name = r.GetString(2),
            TargetHost = r.GetString(3),
            TargetPort = r.GetInt32(4),
            Description = r.GetString(5),
            Created = r.GetFieldValue<DateTimeOffset>(6),
            Modified = r.GetFieldValue<DateTimeOffset>(7),
        },
        ("tenant", tenant));

    private static (string, object?)[] ResourceParameters(TenantResource x, Guid tenantId) =>
    [
        ("id", x.Id), ("tenant", tenantId), ("name", x.Name), ("host", x.TargetHost), ("port", x.TargetPort),
        ("description", x.Description), ("created", Utc(x.Created)), ("modified", Utc(x.Modified)),
    ];
}
