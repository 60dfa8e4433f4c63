using CloudGateway.Client;

namespace CloudGateway.Tests.Client;

public sealed class CertificatePinsTests
{
    private static readonly string Old = new('A', 64);
    private static readonly string New = new('B', 64);
    private static readonly string Third = new('C', 64);
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void After_SuccessorAnnounced_BecomesSecondPinWithTime()
    {
        var pins = new CertificatePins(Old).After(Old, New, Now);

        Assert.Equal(new CertificatePins(Old, New, Now), pins);
        Assert.True(pins.Accepts(New.ToLowerInvariant()));
        Assert.False(pins.Accepts(Third));
    }

    [Fact]
    public void After_GatewayPresentsSecondPin_PromotesItAndKeepsOldForRollback()
    {
        var switched = new CertificatePins(Old, New, Now.AddDays(-1)).After(New, null, Now);
        var rolledBack = switched.After(Old, New, Now.AddMinutes(1));

        Assert.Equal(new CertificatePins(New, Old, Now), switched);
        Assert.Equal((Old, New), (rolledBack.Thumbprint, rolledBack.NextThumbprint));
    }

    [Fact]
    public void After_NextRotationAnnouncedAfterSwitch_ReplacesTheOldSecondPin()
    {
        var pins = new CertificatePins(New, Old, Now).After(New, Third, Now.AddDays(300));

        Assert.Equal(new CertificatePins(New, Third, Now.AddDays(300)), pins);
    }

    [Theory]
    [InlineData("not-a-thumbprint")]
    [InlineData("")]
    public void After_AnnouncementNotAThumbprint_IsIgnored(string announced)
    {
        var pins = new CertificatePins(Old);

        Assert.Equal(pins, pins.After(Old, announced, Now));
    }

    [Fact]
    public void After_NothingPinned_LearnsNothing()
    {
        var pins = new CertificatePins(null);

        Assert.Same(pins, pins.After(Old, New, Now));
    }
}
