using Microsoft.Data.Sqlite;

namespace CloudGateway.Storage.Sqlite;

/// <summary>The little the provider store needs from a SQLite database file: reads, and writes in one transaction.</summary>
internal interface IProviderDatabase : IDisposable
{
    /// <summary>The database file.</summary>
    string Path { get; }

    /// <summary>Runs <paramref name="read"/> on an open connection.</summary>
    T Read<T>(Func<SqliteConnection, T> read);

    /// <summary>Runs <paramref name="write"/> inside BEGIN IMMEDIATE ... COMMIT, rolled back when it throws.</summary>
    T Write<T>(Func<SqliteConnection, T> write);
}
