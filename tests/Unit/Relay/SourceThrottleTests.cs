using System.Net;
using CloudGateway.Relay;

namespace CloudGateway.Tests.Relay;

public sealed class SourceThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly SourceThrottlePolicy Policy = new(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), 100);

    [Theory]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::1", "::")]
    public void KeyOf_Address_CountedUnderItsIPv4AddressOrIPv6Prefix(string address, string key) =>
        Assert.Equal(IPAddress.Parse(key), SourceThrottle.KeyOf(new IPEndPoint(IPAddress.Parse(address), 5000)));

    [Fact]
    public void RecordFailure_MappedAndPlainIPv4_CountTogether()
    {
        var throttle = new SourceThrottle(Policy);
        throttle.RecordFailure(new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 1), T0);
        throttle.RecordFailure(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 2), T0);
        var until = throttle.RecordFailure(new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 3), T0);

        Assert.Equal(T0 + Policy.Cooldown, until);
        Assert.Equal(until, throttle.BlockedUntil(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 4), T0));
        Assert.Null(throttle.BlockedUntil(new IPEndPoint(IPAddress.Parse("192.0.2.8"), 4), T0));
        Assert.Equal(1, throttle.Count);
    }

    [Fact]
    public void RecordFailure_SpreadBeyondTheWindow_NeverBlocks()
    {
        var throttle = new SourceThrottle(Policy);
        var source = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 1);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(throttle.RecordFailure(source, T0 + TimeSpan.FromSeconds(31 * i)));
        }

        Assert.Null(throttle.BlockedUntil(source, T0 + TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void BlockedUntil_CooldownOver_SourceStartsAfresh()
    {
        var throttle = new SourceThrottle(Policy);
        var source = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 1);
        for (var i = 0; i < 3; i++)
        {
            throttle.RecordFailure(source, T0);
        }

        Assert.NotNull(throttle.BlockedUntil(source, T0 + TimeSpan.FromMinutes(1.9)));
        Assert.Null(throttle.BlockedUntil(source, T0 + TimeSpan.FromMinutes(2)));
        Assert.Null(throttle.RecordFailure(source, T0 + TimeSpan.FromMinutes(2)));
        Assert.Null(throttle.BlockedUntil(source, T0 + TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void RecordFailure_NoAddress_Ignored()
    {
        var throttle = new SourceThrottle(Policy);

        Assert.Null(throttle.RecordFailure(null, T0));
        Assert.Null(throttle.RecordFailure(new DnsEndPoint("example.test", 1), T0));
        Assert.Equal(0, throttle.Count);
    }
}
