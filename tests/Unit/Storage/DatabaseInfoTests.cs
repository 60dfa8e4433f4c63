using CloudGateway.Model;
using CloudGateway.Storage;
using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Tests.Storage;

public class DatabaseInfoTests
{
    [Fact]
    public void Describe_SqliteStore_ReportsPathSchemaVersionAndChangeCounter()
    {
        using var temp = new TempFolder();
        var path = temp.File("info.db");
        using var store = ConfigurationDatabase.Open(path);
        var before = DatabaseInfo.Describe(store);
        store.AddGateway(new Gateway { Name = "gw1", Address = "gw1.example.net" });
        var after = DatabaseInfo.Describe(store);

        Assert.Equal(Path.GetFullPath(path), after.Path);
        Assert.Equal(SqliteDatabase.LatestSchemaVersion, after.SchemaVersion);
        Assert.True(after.ChangeCounter > before.ChangeCounter);
    }
}
