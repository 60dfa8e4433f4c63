using System.Diagnostics;
using System.Reflection;
using CloudGateway.Model;
using CloudGateway.Storage;
using CloudGateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Tests.Storage.Sqlite;

/// <summary>
/// One database file used by this process through several opens (a session and its relay) and by other processes
/// at the same time: this process must keep its SQLite locks, so no other process deletes the WAL under it.
/// </summary>
public sealed class SqliteSharedFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string Writer => typeof(SqliteSharedFileTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "StoreWriterPath").Value!;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Open_AgainWhileConnected_OtherProcessesWritesAreSeenAndTheWalIsNeverDeleted()
    {
        var path = _folder.File("shared.db");
        using var session = ConfigurationDatabase.Open(path);
        session.AddGateway(NewGateway("session-0"));

        // The second open is what the relay does beside the session; it used to read the header with a plain file
        // handle and close it, which on POSIX drops every lock this process holds on the file.
        using var relay = ConfigurationDatabase.Open(path);
        for (var round = 1; round <= 3; round++)
        {
            RunWriter(path, round.ToString(System.Globalization.CultureInfo.InvariantCulture), 2);
            var seen = relay.GetGateways().Select(g => g.Name).ToHashSet();
            Assert.True(seen.Contains($"w{round}-0001"), $"round {round}: the relay does not see another process's committed change");
            Assert.Empty(DeletedFilesHeldOpen(path));
            relay.AddGateway(NewGateway($"relay-{round}"));
        }

        RunWriter(path, "9", 1);
        session.Dispose();
        relay.Dispose();
        SqliteConnection.ClearAllPools();
        using var check = ConfigurationDatabase.Open(path);
        var names = check.GetGateways().Select(g => g.Name).ToList();
        Assert.Equal(1 + (3 * 2) + 3 + 1, names.Count);
        Assert.Contains("relay-3", names);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Assert.Equal("ok", connection.Scalar(null, "PRAGMA integrity_check"));
    }

    private static Gateway NewGateway(string name) => new() { Name = name, Address = "gw.example.net", Port = 443 };

    private static void RunWriter(string path, string id, int changes)
    {
        Assert.True(File.Exists(Writer), $"{Writer} was not built");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [Writer, path, id, changes.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "the writer did not finish in a minute");
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
    }

    /// <summary>The database's files this process still holds open although they were unlinked (Linux only).</summary>
    private static List<string> DeletedFilesHeldOpen(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var held = new List<string>();
        foreach (var descriptor in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                var target = new FileInfo(descriptor).LinkTarget;
                if (target is not null && target.StartsWith(path, StringComparison.Ordinal) && target.EndsWith("(deleted)", StringComparison.Ordinal))
                {
                    held.Add(target);
                }
            }
            catch (IOException)
            {
                // The descriptor was closed while we looked.
            }
        }

        return held;
    }
}
