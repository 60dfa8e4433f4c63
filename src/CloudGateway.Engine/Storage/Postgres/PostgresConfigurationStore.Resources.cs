using CloudGateway.Model;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

public sealed partial class PostgresConfigurationStore
{
    /// <inheritdoc />
    public IReadOnlyList<TenantResource> GetResources(string? tenant = null) => _database.Read((c, t) =>
        ReadResources(c, t, tenant is null ? null : TenantOrThrow(c, t, tenant).Tenant.Name, null));

    /// <inheritdoc />
    public TenantResource GetResource(string tenant, string name) => _database.Read((c, t) => ResourceOrThrow(c, t, tenant, name));

    /// <inheritdoc />
    public TenantResource AddResource(TenantResource resource)
    {
        var now = _time.GetUtcNow();
        var checkedResource = TenantResourceValidator.Check(resource) with { Created = now, Modified = now };
        return _database.Write((c, t) =>
        {
            var (tenant, _) = TenantOrThrow(c, t, checkedResource.Tenant);
            EnsureResourceNameFree(c, t, tenant.Name, checkedResource.Name, checkedResource.Id, isNew: true);
            UpsertResource(c, t, checkedResource);
            return ResourceOrThrow(c, t, tenant.Name, checkedResource.Name);
        });
    }

    /// <inheritdoc />
    public TenantResource UpdateResource(string tenant, string name, Func<TenantResource, TenantResource> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var current = ResourceOrThrow(c, t, tenant, name);
            var updated = TenantResourceValidator.Check(change(current) with { Id = current.Id, Tenant = current.Tenant, Created = current.Created, Modified = _time.GetUtcNow() });
            EnsureResourceNameFree(c, t, current.Tenant, updated.Name, updated.Id, isNew: false);
            UpsertResource(c, t, updated);
            return ResourceOrThrow(c, t, updated.Tenant, updated.Name);
        });
    }

    /// <inheritdoc />
    public void RemoveResource(string tenant, string name) => _database.Write((c, t) =>
        Execute(c, t, "DELETE FROM resources WHERE id = @id", ("id", ResourceOrThrow(c, t, tenant, name).Id)));

    private static void EnsureResourceNameFree(NpgsqlConnection c, NpgsqlTransaction t, string tenant, string name, Guid id, bool isNew)
    {
        var owner = Scalar<string>(c, t,
            "SELECT r.name FROM resources r JOIN tenants tn ON tn.id = r.tenant_id WHERE tn.name_key = @tenant AND r.name_key = @key AND r.id <> @id",
            ("tenant", Key(tenant)), ("key", Key(name)), ("id", id));
        if (owner is not null)
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"The tenant '{tenant}' already has a resource named '{owner}'.", name);
        }

        if (isNew && Scalar<long>(c, t, "SELECT count(*) FROM resources WHERE id = @id", ("id", id)) > 0)
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"Another resource already has the id {id}.", name);
        }

        var current = isNew ? null : Scalar<string>(c, t, "SELECT name FROM resources WHERE id = @id", ("id", id));
        var others = Query(c, t, "SELECT r.name FROM resources r JOIN tenants tn ON tn.id = r.tenant_id WHERE tn.name_key = @tenant AND r.id <> @id", r => r.GetString(0), ("tenant", Key(tenant)), ("id", id));
        ConfigurationGuards.CheckNotLookalike("resource", name, current, others, $" for the tenant '{tenant}'");
    }

    private static void UpsertResource(NpgsqlConnection c, NpgsqlTransaction t, TenantResource r) => Execute(c, t,
        "INSERT INTO resources (id, tenant_id, name, name_key, target_host, target_port, description, created, modified) " +
        "SELECT @id, id, @name, @key, @host, @port, @description, @created, @modified FROM tenants WHERE name_key = @tenant " +
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, target_host = excluded.target_host, " +
        "target_port = excluded.target_port, description = excluded.description, modified = excluded.modified",
        ("id", r.Id), ("tenant", Key(r.Tenant)), ("name", r.Name), ("key", Key(r.Name)), ("host", r.TargetHost),
        ("port", r.TargetPort), ("description", r.Description), ("created", Utc(r.Created)), ("modified", Utc(r.Modified)));

    private static TenantResource ResourceOrThrow(NpgsqlConnection c, NpgsqlTransaction t, string tenant, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var owner = TenantOrThrow(c, t, tenant).Tenant;
        return ReadResources(c, t, owner.Name, name).SingleOrDefault()
            ?? throw new GatewayException(GatewayErrorCode.NotFound, $"The tenant '{owner.Name}' has no resource named '{name}'.", name);
    }

    private static List<TenantResource> ReadResources(NpgsqlConnection c, NpgsqlTransaction t, string? tenant, string? name) => Query(c, t,
        "SELECT r.id, tn.name, r.name, r.target_host, r.target_port, r.description, r.created, r.modified " +
        "FROM resources r JOIN tenants tn ON tn.id = r.tenant_id " +
        "WHERE (@tenant::text IS NULL OR tn.name_key = @tenant) AND (@key::text IS NULL OR r.name_key = @key) ORDER BY tn.name_key, r.name_key",
        r => new TenantResource
        {
            Id = r.GetGuid(0),
            Tenant = r.GetString(1),
            Name = r.GetString(2),
            TargetHost = r.GetString(3),
            TargetPort = r.GetInt32(4),
            Description = r.GetString(5),
            Created = Time(r, 6),
            Modified = Time(r, 7),
        },
        ("tenant", tenant is null ? null : Key(tenant)), ("key", name is null ? null : Key(name)));
}
