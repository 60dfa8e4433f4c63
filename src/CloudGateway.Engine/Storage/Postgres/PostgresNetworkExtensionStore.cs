using System.Net;
using CloudGateway.Networking;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// The network extension tables of a PostgreSQL configuration (migration 0003), shared by every gateway server of
/// that configuration, with the SQLite store's rules (<see cref="NetworkExtensionStore"/>). Reads see one snapshot;
/// every change runs in one SERIALIZABLE transaction of <see cref="PostgresDatabase"/> that bumps the change counter.
/// </summary>
internal sealed class PostgresNetworkExtensionStore(PostgresDatabase database, TimeProvider timeProvider) : NetworkExtensionStore(timeProvider)
{
    /// <summary>
    /// Connects to the PostgreSQL configuration named by an Npgsql connection string (creating the CloudGateway
    /// tables on first use); <paramref name="credential"/>, when given, replaces its user name and password.
    /// </summary>
    public static PostgresNetworkExtensionStore Open(string connectionString, NetworkCredential? credential = null, TimeProvider? time = null) =>
        new(PostgresDatabase.Open(connectionString, credential), time ?? TimeProvider.System);

    public override void Dispose() => database.Dispose();

    protected override T Read<T>(Func<INetworkExtensionTables, T> read) => database.Read((c, t) => read(new PostgresNetworkExtensionTables(c, t)));

    protected override T Write<T>(Func<INetworkExtensionTables, T> write) => database.Write((c, t) => write(new PostgresNetworkExtensionTables(c, t)));
}
