namespace CloudGateway.Tests.Storage.Sqlite;

/// <summary>The network extension store contract on a real SQLite database file.</summary>
public sealed class SqliteNetworkExtensionStoreTests : NetworkExtensionStoreContract
{
    protected override string CreateLocation() => Files.File("cloudgateway.db");
}
