using CloudGateway.Networking;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// The network extension tables of a SQLite configuration database (migration 0003): hardware plans, each
/// tenant's plan and routing option, and default gateways. Every change runs in one <c>BEGIN IMMEDIATE</c>
/// transaction of <see cref="SqliteDatabase"/>, so a refused change writes nothing.
/// </summary>
internal sealed class SqliteNetworkExtensionStore(SqliteDatabase database, TimeProvider timeProvider) : NetworkExtensionStore(timeProvider)
{
    public override void Dispose() => database.Dispose();

    protected override T Read<T>(Func<INetworkExtensionTables, T> read) => database.Read(connection => read(new SqliteNetworkExtensionTables(connection, null)));

    protected override T Write<T>(Func<INetworkExtensionTables, T> write) => database.Write((connection, transaction) => write(new SqliteNetworkExtensionTables(connection, transaction)));
}
