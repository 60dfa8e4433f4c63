using CloudGateway.Client.Providers;
using CloudGateway.Storage.Postgres;
using CloudGateway.Tests.Client.Providers;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>The provider operations against PostgreSQL: each test has an empty schema of its own.</summary>
[SkipUnlessEnvironment(PostgresTestServer.Variable, PostgresTestServer.SkipReason)]
public sealed class PostgresProviderOperationsTests : ProviderOperationsContract, IDisposable
{
    private readonly TempFolder _folder = new();
    private PostgresTestSchema? _schema;

    public void Dispose()
    {
        _schema?.Dispose();
        _folder.Dispose();
    }

    protected override IProviderStore OpenStore() =>
        PostgresProviderStore.Open((_schema ??= new PostgresTestSchema()).ConnectionString, keyFile: _folder.File("shared.key"));
}
