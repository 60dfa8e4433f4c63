using CloudGateway.Client.Providers;
using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Tests.Client.Providers;

/// <summary>The provider operations on a real SQLite database file.</summary>
public sealed class SqliteProviderOperationsTests : ProviderOperationsContract, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override IProviderStore OpenStore() => SqliteProviderStore.Open(_folder.File("cloudgateway.db"));
}
