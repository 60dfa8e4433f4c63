namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>A fact that needs a real PostgreSQL: skipped, saying why, when CLOUDGATEWAY_TEST_POSTGRES is not set (failed under CI).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            Skip = CiRun.SkipUnlessCi(PostgresTestServer.SkipReason);
        }
    }
}
