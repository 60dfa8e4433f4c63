using CloudGateway.Relay;

namespace CloudGateway.Tests.Relay;

public sealed class TokenBucketTests
{
    [Fact]
    public void Take_NoLimit_NeverWaits()
    {
        var bucket = new TokenBucket(new ManualClock());
        Assert.Equal(TimeSpan.Zero, bucket.Take(1_000_000));
    }

    [Fact]
    public void Take_BeyondBurst_WaitsForTheDebtAtTheRate()
    {
        var clock = new ManualClock();
        var bucket = new TokenBucket(clock);
        bucket.SetRate(1000);

        Assert.Equal(TimeSpan.Zero, bucket.Take(250));
        Assert.Equal(TimeSpan.FromSeconds(0.5), bucket.Take(500));
        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.Take(1000));
    }

    [Fact]
    public void Take_AfterLongIdle_BurstCappedAtAQuarterOfASecond()
    {
        var clock = new ManualClock();
        var bucket = new TokenBucket(clock);
        bucket.SetRate(1000);
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.Zero, bucket.Take(250));
        Assert.Equal(TimeSpan.FromSeconds(0.001), bucket.Take(1));
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
