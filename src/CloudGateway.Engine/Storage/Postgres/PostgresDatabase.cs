using System.Data;
using System.Net;
using Npgsql;

namespace CloudGateway.Storage.Postgres;

/// <summary>
/// One CloudGateway configuration in a PostgreSQL schema: a pooled data source, migrated on open, with read
/// transactions that see one snapshot and write transactions that are SERIALIZABLE, bump the change counter and are
/// run again (a bounded number of times) when PostgreSQL reports that they raced another server's write.
/// </summary>
internal sealed class PostgresDatabase : IDisposable
{
    /// <summary>How many times a write that lost a serialization race is run in all.</summary>
    public const int MaxAttempts = 8;

    private readonly NpgsqlDataSource _dataSource;

    private PostgresDatabase(NpgsqlDataSource dataSource, string location, string schema)
    {
        _dataSource = dataSource;
        Location = location;
        Schema = schema;
    }

    /// <summary>The connection string without secrets.</summary>
    public string Location { get; }

    /// <summary>The schema the configuration lives in.</summary>
    public string Schema { get; }

    /// <summary>The pooled data source (it holds the secrets), for the notification listener's own connection.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Connects, refuses a foreign or newer schema, and applies missing migrations.</summary>
    public static PostgresDatabase Open(string connectionString, NetworkCredential? credential = null)
    {
        var builder = PostgresConnectionString.Parse(connectionString);
        if (credential is not null)
        {
            builder.Username = credential.UserName;
            builder.Password = credential.Password;
        }

        var location = PostgresConnectionString.Redact(builder);
        builder.Enlist = false;
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "CloudGateway";
        }

        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        try
        {
            using var connection = dataSource.OpenConnection();
            PostgresMigrations.Apply(connection, location);
            using var command = new NpgsqlCommand("SELECT current_schema()", connection);
            var schema = (string)command.ExecuteScalar()!;
            return new PostgresDatabase(dataSource, location, schema);
        }
        catch (Exception exception) when (exception is not GatewayException)
        {
            dataSource.Dispose();
            throw PostgresErrors.Translate(exception, location);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="read"/> in a read-only REPEATABLE READ transaction (one consistent snapshot).</summary>
    public T Read<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = _dataSource.OpenConnection();
                using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
                using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
                {
                    readOnly.ExecuteNonQuery();
                }

                var result = read(connection, transaction);
                transaction.Commit();
                return result;
            }
            catch (Exception exception) when (attempt == 1 && PostgresErrors.IsUnavailable(exception))
            {
                // A pooled connection the server dropped (it restarted): forget the pool and try once on a new one.
                _dataSource.Clear();
            }
            catch (Exception exception) when (exception is not GatewayException)
            {
                throw PostgresErrors.Translate(exception, Location);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a SERIALIZABLE transaction that bumps the change counter, and runs it again
    /// when it lost a race with another writer, up to <see cref="MaxAttempts"/> times. Configuration writers of all
    /// servers queue on the counter table's lock before their snapshot is taken, so they rarely need to run again.
    /// </summary>
    public T Write<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> write) => Transact(write, IsolationLevel.Serializable, bumpCounter: true);

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction of the given isolation that leaves the change counter alone (for
    /// bookkeeping that is not configuration), again when it lost a race, up to <see cref="MaxAttempts"/> times.
    /// </summary>
    public T WriteUncounted<T>(IsolationLevel isolation, Func<NpgsqlConnection, NpgsqlTransaction, T> write) => Transact(write, isolation, bumpCounter: false);

    private T Transact<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> write, IsolationLevel isolation, bool bumpCounter)
    {
        for (var attempt = 1; ; attempt++)
        {
            var committing = false;
            try
            {
                using var connection = _dataSource.OpenConnection();
                using var transaction = connection.BeginTransaction(isolation);
                if (bumpCounter)
                {
                    // LOCK TABLE takes no snapshot: a writer that waited here then sees every change committed before it.
                    using var bump = new NpgsqlCommand(
                        "LOCK TABLE change_counter IN EXCLUSIVE MODE; UPDATE change_counter SET value = value + 1 WHERE id = 1", connection, transaction);
                    bump.ExecuteNonQuery();
                }

                var result = write(connection, transaction);
                committing = true;
                transaction.Commit();
                return result;
            }
            catch (Exception exception) when (PostgresErrors.IsRetryable(exception) && attempt < MaxAttempts)
            {
                Thread.Sleep(Random.Shared.Next(5, 20 * attempt));
            }
            catch (Exception exception) when (attempt == 1 && !committing && PostgresErrors.IsUnavailable(exception))
            {
                // A pooled connection the server dropped before anything was committed: try once on a new one.
                _dataSource.Clear();
            }
            catch (Exception exception) when (exception is not GatewayException)
            {
                throw PostgresErrors.Translate(exception, Location);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();
}
