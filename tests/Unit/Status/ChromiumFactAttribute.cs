namespace CloudGateway.Tests.Status;

/// <summary>A test that needs headless Chromium: skipped where it is missing, except under CI, where it runs and fails.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        Skip = CiRun.SkipUnlessCi(Chromium.WhyNot());
    }
}
