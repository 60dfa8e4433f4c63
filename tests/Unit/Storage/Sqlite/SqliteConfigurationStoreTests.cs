using System.Diagnostics;
using System.Reflection;
using CloudGateway.Model;
using CloudGateway.Storage;
using CloudGateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloudGateway.Tests.Storage.Sqlite;

public sealed class SqliteConfigurationStoreTests : ConfigurationStoreContract
{
    protected override IConfigurationStore CreateStore() => SqliteConfigurationStore.Open(Files.File($"store-{Guid.NewGuid():N}.db"));

    [Fact]
    public void Open_ThroughConfigurationDatabase_PersistsAcrossReopen()
    {
        var path = Files.File("persist.db");
        using (var store = ConfigurationDatabase.Open(path))
        {
            Populate(store);
        }

        using var reopened = ConfigurationDatabase.Open(path);
        Assert.Equal(path, reopened.Location);
        Assert.Equal(["edge-b", "edge-a"], reopened.GetPool("gold").Members);
        Assert.Equal(3, reopened.GetResources().Count);
    }

    [Fact]
    public void Open_ForeignFile_ThrowsNotAConfigurationDatabase()
    {
        var path = Files.File("text.db");
        File.WriteAllText(path, "hello");

        var error = Assert.Throws<GatewayException>(() => ConfigurationDatabase.Open(path));

        Assert.Equal(GatewayErrorCode.NotAConfigurationDatabase, error.Code);
        Assert.Equal("hello", File.ReadAllText(path));
    }

    [Fact]
    public void Timestamps_FromTheTimeProvider_AreStoredExactly()
    {
        var time = new FixedTime(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234));
        using var store = SqliteConfigurationStore.Open(Files.File("time.db"), time);

        store.AddGateway(NewGateway("g"));
        time.Now = time.Now.AddHours(1);
        var updated = store.UpdateGateway("g", g => g with { Description = "later" });

        Assert.Equal(time.Now.AddHours(-1), updated.Created);
        Assert.Equal(time.Now, updated.Modified);
    }

    [Fact]
    public void Write_FourProcessesCreatingAndWritingAtOnce_KeepsEveryRowAndIntegrity()
    {
        const int Writers = 4;
        const int Changes = 200;
        var path = Files.File("shared.db");

        var writer = typeof(SqliteConfigurationStoreTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "StoreWriterPath").Value!;
        Assert.True(File.Exists(writer), $"{writer} was not built");
        var processes = Enumerable.Range(1, Writers).Select(i => Process.Start(new ProcessStartInfo("dotnet", [writer, path, i.ToString(), Changes.ToString()])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!).ToList();
        try
        {
            foreach (var process in processes)
            {
                Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "a writer did not finish in 3 minutes");
                Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
            }
        }
        finally
        {
            foreach (var process in processes.Where(p => !p.HasExited))
            {
                process.Kill();
            }

            processes.ForEach(p => p.Dispose());
        }

        using var result = ConfigurationDatabase.Open(path);
        var names = result.GetGateways().Select(g => g.Name).ToHashSet();
        var expected = Enumerable.Range(1, Writers).SelectMany(w => Enumerable.Range(0, Changes).Select(i => $"w{w}-{i:D4}")).ToList();
        Assert.Equal(Writers * Changes, names.Count);
        Assert.All(expected, name => Assert.Contains(name, names));
        Assert.Equal(Writers * Changes, result.GetChangeCounter());
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        Assert.Equal("ok", check.Scalar(null, "PRAGMA integrity_check"));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
