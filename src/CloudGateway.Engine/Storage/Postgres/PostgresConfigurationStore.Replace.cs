using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

public sealed partial class PostgresConfigurationStore
{
    /// <summary>The tables an import empties, children first; tenants are handled apart (see <see cref="RemoveTenantsExcept"/>).</summary>
    private static readonly string[] ReplacedTables = ["resources", "tenant_pools", "gateways", "pools"];

    /// <inheritdoc />
    public ConfigurationDocument ReplaceConfiguration(Func<ConfigurationDocument, ConfigurationDocument> change, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _database.Write((c, t) =>
        {
            var next = ConfigurationDocumentValidator.Check(change(ConfigurationDocument.FromSnapshot(Snapshot(c, t))));
            var now = _time.GetUtcNow();
            var written = new EntityProgress(progress, next, "written");
            foreach (var table in ReplacedTables)
            {
                Execute(c, t, $"DELETE FROM {table}");
            }

            RemoveTenantsExcept(c, t, next.Tenants.Select(x => x.Tenant.Id).ToArray());

            foreach (var gateway in next.Gateways)
            {
                UpsertGateway(c, t, gateway with { Created = Stamp(gateway.Created, now), Modified = Stamp(gateway.Modified, now) });
                written.Done("gateway " + gateway.Name);
            }

            foreach (var pool in next.Pools)
            {
                UpsertPool(c, t, pool with { Created = Stamp(pool.Created, now), Modified = Stamp(pool.Modified, now) });
                written.Done("pool " + pool.Name);
            }

            foreach (var (tenant, hash) in next.Tenants)
            {
                UpsertTenant(c, t, tenant with { Created = Stamp(tenant.Created, now), Modified = Stamp(tenant.Modified, now) }, hash);
                written.Done("tenant " + tenant.Name);
            }

            foreach (var resource in next.Resources)
            {
                UpsertResource(c, t, resource with { Created = Stamp(resource.Created, now), Modified = Stamp(resource.Modified, now) });
                written.Done($"resource {resource.Tenant}/{resource.Name}");
            }

            return ConfigurationDocument.FromSnapshot(Snapshot(c, t));
        });
    }

    /// <summary>
    /// Deletes the tenants the imported document does not hold and frees the names of the rest, so the upserts can swap
    /// names. Tenants that stay keep their rows, and with them their network extension settings and default gateways,
    /// as in the SQLite store.
    /// </summary>
    private static void RemoveTenantsExcept(NpgsqlConnection c, NpgsqlTransaction t, Guid[] kept)
    {
        Execute(c, t, "DELETE FROM tenants WHERE NOT (id = ANY(@kept))", ("kept", kept));
        Execute(c, t, "UPDATE tenants SET name_key = '#' || id::text");
    }

    private static DateTimeOffset Stamp(DateTimeOffset time, DateTimeOffset now) => time == default ? now : time;
}
