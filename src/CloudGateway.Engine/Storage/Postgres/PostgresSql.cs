using Npgsql;

namespace CloudGateway.Storage.Postgres;

/// <summary>Small helpers for running parameterized SQL inside a store transaction.</summary>
internal static class PostgresSql
{
    /// <summary>Creates a command with positional-free named parameters given as (name, value) pairs.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Runs a statement and returns the number of rows it touched.</summary>
    public static int Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a query and returns its first column of the first row, or default when there is no row or it is NULL.</summary>
    public static T? Scalar<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>Runs a query and maps every row.</summary>
    public static List<T> Query<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Func<NpgsqlDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>The key a name is unique and sorted by: its invariant upper-case form, as in the SQLite store.</summary>
    public static string Key(string name) => name.ToUpperInvariant();

    /// <summary>A timestamp as PostgreSQL's timestamptz wants it (UTC), or NULL.</summary>
    public static object Utc(DateTimeOffset? value) => value is { } v ? v.ToUniversalTime() : DBNull.Value;

    /// <summary>Reads a timestamptz column.</summary>
    public static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>Reads a nullable timestamptz column.</summary>
    public static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
