using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// One forward-only schema step, read from an embedded <c>Migrations/NNNN_name.sql</c> file. Migrations are applied
/// in version order, each once; a database records which it has (table <c>schema_migration</c>), so a migration
/// added later with a lower number than one already applied is still applied.
/// </summary>
internal sealed partial record SqliteMigration(int Version, string Name, string Sql)
{
    /// <summary>The prefix of the manifest names the engine project gives the migration files.</summary>
    public const string ResourcePrefix = "CloudGateway.Storage.Sqlite.Migrations.";

    private static readonly Lazy<IReadOnlyList<SqliteMigration>> Embedded = new(() => Load(typeof(SqliteMigration).Assembly));

    /// <summary>Every migration embedded in the engine, in version order.</summary>
    public static IReadOnlyList<SqliteMigration> All => Embedded.Value;

    /// <summary>The schema version this build of the engine creates and understands.</summary>
    public static int LatestVersion => All[^1].Version;

    /// <summary>Reads every <c>NNNN_name.sql</c> resource of an assembly, in version order; a version may appear once.</summary>
    public static IReadOnlyList<SqliteMigration> Load(Assembly assembly)
    {
        var migrations = new List<SqliteMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[ResourcePrefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"The migration '{fileName}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new SqliteMigration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations have the number {migrations[i].Version:D4}: '{migrations[i - 1].Name}' and '{migrations[i].Name}'.");
            }
        }

        if (migrations.Count == 0)
        {
            throw new InvalidOperationException("The engine holds no database migrations.");
        }

        return migrations;
    }

    [GeneratedRegex(@"^(\d{4})_([A-Za-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
