using CloudGateway.Client;

namespace CloudGateway.Tests.Client;

public sealed class GatewayHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AfterFailure_BelowThreshold_StaysAvailable()
    {
        var options = new GatewayClientOptions { FailureThreshold = 3 };
        var health = GatewayHealth.Unknown.AfterFailure(Now, "x", options).AfterFailure(Now, "y", options);

        Assert.Equal(2, health.ConsecutiveFailures);
        Assert.True(health.IsAvailable(Now));
        Assert.Equal("y", health.LastError);
    }

    [Fact]
    public void AfterFailure_AtThreshold_CoolsDownThenComesBack()
    {
        var options = new GatewayClientOptions { FailureThreshold = 2, CoolDown = TimeSpan.FromSeconds(30) };
        var health = GatewayHealth.Unknown.AfterFailure(Now, "x", options).AfterFailure(Now, "x", options);

        Assert.False(health.IsAvailable(Now.AddSeconds(29)));
        Assert.True(health.IsAvailable(Now.AddSeconds(30)));
    }

    [Fact]
    public void AfterSuccess_AfterFailures_ResetsCount()
    {
        var options = new GatewayClientOptions();
        var health = GatewayHealth.Unknown.AfterFailure(Now, "x", options).AfterSuccess(Now.AddSeconds(1));

        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Null(health.CoolDownUntil);
        Assert.Equal(Now.AddSeconds(1), health.LastSuccess);
    }

    [Fact]
    public void Validate_BadOptions_ReportsEveryProblem()
    {
        var options = new GatewayClientOptions { ConnectTimeout = TimeSpan.Zero, CoolDown = TimeSpan.FromSeconds(-1), FailureThreshold = 0 };

        var ex = Assert.Throws<GatewayException>(options.Validate);

        Assert.Equal(["ConnectTimeout", "CoolDown", "FailureThreshold"], ex.Problems.Select(p => p.Field));
    }
}
