using System.Net;
using CloudGateway.Networking;
using Npgsql;
using static CloudGateway.Storage.Postgres.PostgresSql;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// The network extension tables of a PostgreSQL configuration (migration 0003), shared by every gateway server of
/// that configuration. Same rules, error codes and ordering as the SQLite store (<see cref="NetworkExtensionGuards"/>);
/// every change runs in one SERIALIZABLE transaction of <see cref="PostgresDatabase"/> that bumps the change counter,
/// so a refused change writes nothing.
/// </summary>
internal sealed partial class PostgresNetworkExtensionStore(PostgresDatabase database, TimeProvider timeProvider) : INetworkExtensionStore
{
    /// <summary>
    /// Connects to the PostgreSQL configuration named by an Npgsql connection string (creating the CloudGateway
    /// tables on first use); <paramref name="credential"/>, when given, replaces its user name and password.
    /// </summary>
    public static PostgresNetworkExtensionStore Open(string connectionString, NetworkCredential? credential = null, TimeProvider? time = null) =>
        new(PostgresDatabase.Open(connectionString, credential), time ?? TimeProvider.System);

    public IReadOnlyList<HardwarePlan> GetHardwarePlans() => database.Read((c, t) =>
    {
        var networks = Query(c, t, "SELECT plan_id, name, internet_access, vlan_id FROM hardware_plan_networks ORDER BY plan_id, position",
            r => (Plan: r.GetGuid(0), Network: ReadNetworkRow(r, 1))).ToLookup(n => n.Plan, n => n.Network);
        return Query(c, t, "SELECT id, name, description FROM hardware_plans ORDER BY name_key", ReadPlanRow)
            .Select(plan => plan with { Networks = networks[plan.Id].ToList() }).ToList();
    });

    public HardwarePlan GetHardwarePlan(string name) => database.Read((c, t) => FindPlan(c, t, name));

    public HardwarePlan AddHardwarePlan(HardwarePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        NetworkExtensionGuards.CheckNewPlan(plan);
        return database.Write((c, t) =>
        {
            if (PlanNameTaken(c, t, plan.Name))
            {
                throw NetworkExtensionGuards.DuplicatePlan(plan.Name);
            }

            Execute(c, t,
                "INSERT INTO hardware_plans (id, name, name_key, description, created, modified) VALUES (@id, @name, @key, @description, @now, @now)",
                ("id", plan.Id), ("name", plan.Name), ("key", Key(plan.Name)), ("description", plan.Description), ("now", Utc(timeProvider.GetUtcNow())));
            InsertNetworks(c, t, plan);
            return FindPlan(c, t, plan.Name);
        });
    }

    public HardwarePlan UpdateHardwarePlan(string name, Func<HardwarePlan, HardwarePlan> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.Write((c, t) =>
        {
            var current = FindPlan(c, t, name);
            var changed = change(current) with { Id = current.Id };
            if (!string.Equals(Key(changed.Name), Key(current.Name), StringComparison.Ordinal) && PlanNameTaken(c, t, changed.Name))
            {
                throw NetworkExtensionGuards.DuplicatePlan(changed.Name);
            }

            NetworkExtensionGuards.CheckChangedPlan(current, changed, GatewaysOfPlan(c, t, current.Id));
            Execute(c, t, "UPDATE hardware_plans SET name = @name, name_key = @key, description = @description, modified = @now WHERE id = @id",
                ("id", current.Id), ("name", changed.Name), ("key", Key(changed.Name)), ("description", changed.Description), ("now", Utc(timeProvider.GetUtcNow())));
            Execute(c, t, "DELETE FROM hardware_plan_networks WHERE plan_id = @id", ("id", current.Id));
            InsertNetworks(c, t, changed);
            return FindPlan(c, t, changed.Name);
        });
    }

    public void RemoveHardwarePlan(string name, bool force = false) => database.Write((c, t) =>
    {
        var plan = FindPlan(c, t, name);
        var subscribers = Query(c, t,
            "SELECT tn.name FROM tenant_network_extensions x JOIN tenants tn ON tn.id = x.tenant_id WHERE x.plan_id = @id ORDER BY tn.name_key",
            r => r.GetString(0), ("id", plan.Id));
        NetworkExtensionGuards.CheckPlanRemoval(plan, subscribers, force);
        Execute(c, t, "UPDATE tenant_network_extensions SET plan_id = NULL WHERE plan_id = @id", ("id", plan.Id));
        return Execute(c, t, "DELETE FROM hardware_plans WHERE id = @id", ("id", plan.Id));
    });

    public void Dispose() => database.Dispose();

    private static bool PlanNameTaken(NpgsqlConnection c, NpgsqlTransaction t, string name) =>
        Scalar<Guid?>(c, t, "SELECT id FROM hardware_plans WHERE name_key = @key", ("key", Key(name))) is not null;

    private static HardwarePlan ReadPlanRow(NpgsqlDataReader r) => new() { Id = r.GetGuid(0), Name = r.GetString(1), Description = r.GetString(2) };

    private static PlanNetwork ReadNetworkRow(NpgsqlDataReader r, int first) => new(r.GetString(first), r.GetBoolean(first + 1), r.GetInt32(first + 2));

    private static HardwarePlan FindPlan(NpgsqlConnection c, NpgsqlTransaction t, string name, string? field = null)
    {
        var plan = Query(c, t, "SELECT id, name, description FROM hardware_plans WHERE name_key = @key", ReadPlanRow, ("key", Key(name))).SingleOrDefault()
            ?? throw NetworkExtensionGuards.PlanNotFound(name, field);
        return plan with
        {
            Networks = Query(c, t, "SELECT name, internet_access, vlan_id FROM hardware_plan_networks WHERE plan_id = @id ORDER BY position",
                r => ReadNetworkRow(r, 0), ("id", plan.Id)),
        };
    }

    private static void InsertNetworks(NpgsqlConnection c, NpgsqlTransaction t, HardwarePlan plan)
    {
        for (var position = 0; position < plan.Networks.Count; position++)
        {
            var network = plan.Networks[position];
            Execute(c, t,
                "INSERT INTO hardware_plan_networks (plan_id, position, name, name_key, internet_access, vlan_id) VALUES (@plan, @position, @name, @key, @internet, @vlan)",
                ("plan", plan.Id), ("position", position), ("name", network.Name), ("key", Key(network.Name)), ("internet", network.InternetAccess), ("vlan", network.VlanId));
        }
    }

    private static List<(string Tenant, string Network)> GatewaysOfPlan(NpgsqlConnection c, NpgsqlTransaction t, Guid planId) =>
        Query(c, t,
            "SELECT tn.name, g.network FROM default_gateways g JOIN tenants tn ON tn.id = g.tenant_id " +
            "JOIN tenant_network_extensions x ON x.tenant_id = g.tenant_id WHERE x.plan_id = @id ORDER BY tn.name_key, g.network_key",
            r => (r.GetString(0), r.GetString(1)), ("id", planId));
}
