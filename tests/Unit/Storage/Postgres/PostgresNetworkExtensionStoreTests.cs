using System.Net;
using CloudGateway.Networking;
using Npgsql;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>The network extension store contract against PostgreSQL: each test gets an empty schema of its own.</summary>
[SkipUnlessEnvironment(PostgresTestServer.Variable, PostgresTestServer.SkipReason)]
public sealed class PostgresNetworkExtensionStoreTests : NetworkExtensionStoreContract
{
    private PostgresTestSchema? _schema;

    protected override string CreateLocation()
    {
        _schema = new PostgresTestSchema();
        return _schema.ConnectionString;
    }

    [PostgresFact]
    public void OpenPostgres_SchemaAtVersion2_AddsTheTablesAndKeepsTheTenants()
    {
        Assert.Equal(["acme", "globex"], Configuration.GetTenants().Select(t => t.Name));
        PostgresTestServer.Execute(Location, PostgresChangeLogUndo.Sql +
            "DROP TABLE default_gateways, tenant_network_extensions, hardware_plan_networks, hardware_plans, gateway_certificate_slots, tenant_certificate_pins, " +
            "tenant_provider_gateways, tenant_providers; " +
            "ALTER TABLE gateway_certificate DROP COLUMN thumbprint; DELETE FROM cloudgateway_schema WHERE version >= 3");

        using var store = NetworkExtensionDatabase.OpenPostgres(Location);

        Assert.Equal(4L, PostgresTestServer.Scalar<long>(Location, "SELECT count(*) FROM cloudgateway_schema WHERE version IN (3, 4, 5, 6)"));
        Assert.Equal(["acme", "globex"], store.GetConfigurations().Select(c => c.Tenant));
        store.AddHardwarePlan(new HardwarePlan { Name = "Gold", Networks = [new("prod", true, 2)] });
        Assert.Equal("Gold", new NetworkExtensionService(store).SetTenantHardwarePlan("acme", "gold").HardwarePlan);
    }

    [PostgresFact]
    public void OpenPostgres_Credential_ReplacesUserAndPassword()
    {
        Assert.Equal(2, Configuration.GetTenants().Count);
        var builder = new NpgsqlConnectionStringBuilder(Location);
        var credential = new NetworkCredential(builder.Username, builder.Password);
        builder.Username = "nobody";
        builder.Password = null;

        using var store = NetworkExtensionDatabase.OpenPostgres(builder.ConnectionString, credential);

        Assert.Equal(["acme", "globex"], store.GetConfigurations().Select(c => c.Tenant));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _schema?.Dispose();
        }
    }
}
