using System.Net;
using CloudGateway.Storage;
using CloudGateway.Storage.Postgres;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>Telling connection strings from paths, and keeping passwords out of what is shown.</summary>
public sealed class PostgresLocationTests
{
    [Theory]
    [InlineData("Host=db1;Database=cloudgateway;Username=cg", true)]
    [InlineData("server=db1.example.net;database=cg", true)]
    [InlineData("/var/lib/cloudgateway/cloudgateway.db", false)]
    [InlineData(@"C:\Data\cloud=gateway.db", false)]
    [InlineData("cloudgateway.db", false)]
    public void IsConnectionString_Location_TellsConnectionStringsFromPaths(string location, bool expected) =>
        Assert.Equal(expected, ConfigurationDatabase.IsConnectionString(location));

    [Fact]
    public void Redact_PasswordAndSslPassword_BothRemovedRestKept()
    {
        var builder = PostgresConnectionString.Parse("Host=db1;Port=5433;Database=cg;Username=admin;Password=Sup3r;SSL Password=K3y");

        var shown = PostgresConnectionString.Redact(builder);

        Assert.DoesNotContain("Sup3r", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("K3y", shown, StringComparison.Ordinal);
        Assert.Contains("Host=db1", shown, StringComparison.Ordinal);
        Assert.Contains("Username=admin", shown, StringComparison.Ordinal);
        Assert.Equal("Sup3r", builder.Password);
    }

    [PostgresFact]
    public void OpenPostgres_Credential_ReplacesUserAndPasswordAndIsNeverShown()
    {
        using var schema = new PostgresTestSchema();
        var full = new Npgsql.NpgsqlConnectionStringBuilder(schema.ConnectionString);
        var withoutSecrets = new Npgsql.NpgsqlConnectionStringBuilder(schema.ConnectionString) { Username = "nobody", Password = null }.ConnectionString;

        using var store = ConfigurationDatabase.OpenPostgres(withoutSecrets, new NetworkCredential(full.Username, full.Password));

        Assert.Equal(0, store.GetChangeCounter());
        Assert.Contains($"Username={full.Username}", store.Location, StringComparison.Ordinal);
        Assert.DoesNotContain(full.Password!, store.Location, StringComparison.Ordinal);
    }
}
