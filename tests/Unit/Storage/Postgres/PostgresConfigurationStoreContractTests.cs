using CloudGateway.Storage;
using CloudGateway.Storage.Postgres;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>The store contract suite against PostgreSQL: each test gets an empty schema of its own.</summary>
[SkipUnlessEnvironment(PostgresTestServer.Variable, PostgresTestServer.SkipReason)]
public sealed class PostgresConfigurationStoreContractTests : ConfigurationStoreContract
{
    private readonly List<PostgresTestSchema> _schemas = [];

    protected override IConfigurationStore CreateStore()
    {
        var schema = new PostgresTestSchema();
        _schemas.Add(schema);
        return PostgresConfigurationStore.Open(schema.ConnectionString, keyFile: Files.File("shared.key"));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var schema in _schemas)
            {
                schema.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
