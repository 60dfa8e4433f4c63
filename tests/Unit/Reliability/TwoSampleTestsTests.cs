namespace CloudGateway.Tests.Reliability;

/// <summary>The statistical tests used on latencies can fail: they tell shifted samples apart and keep equal ones together.</summary>
public sealed class TwoSampleTestsTests
{
    [Fact]
    public void PValues_ShiftedSamples_SmallAndSameDistribution_Large()
    {
        var random = new Random(1);
        var a = Enumerable.Range(0, 200).Select(_ => 100 + (random.NextDouble() * 20)).ToList();
        var same = Enumerable.Range(0, 200).Select(_ => 100 + (random.NextDouble() * 20)).ToList();
        var shifted = Enumerable.Range(0, 200).Select(_ => 104 + (random.NextDouble() * 20)).ToList();

        Assert.True(TwoSampleTests.MannWhitneyP(a, shifted) < 0.01);
        Assert.True(TwoSampleTests.KolmogorovSmirnovP(a, shifted) < 0.01);
        Assert.True(TwoSampleTests.MannWhitneyP(a, same) > 0.05);
        Assert.True(TwoSampleTests.KolmogorovSmirnovP(a, same) > 0.05);
    }
}
