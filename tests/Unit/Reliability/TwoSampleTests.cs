namespace CloudGateway.Tests.Reliability;

/// <summary>Two-sample tests for latency distributions: Mann-Whitney U (normal approximation, tie-corrected) and Kolmogorov-Smirnov (asymptotic).</summary>
internal static class TwoSampleTests
{
    /// <summary>Two-sided p-value of the Mann-Whitney U test.</summary>
    public static double MannWhitneyP(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var all = a.Select(v => (Value: v, First: true)).Concat(b.Select(v => (Value: v, First: false))).OrderBy(x => x.Value).ToArray();
        var ranks = new double[all.Length];
        var tieTerm = 0.0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j + 1 < all.Length && all[j + 1].Value == all[i].Value)
            {
                j++;
            }

            var rank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                ranks[k] = rank;
            }

            double t = j - i + 1;
            tieTerm += (t * t * t) - t;
            i = j + 1;
        }

        double n1 = a.Count, n2 = b.Count, n = n1 + n2;
        var rankSum = all.Select((x, i) => x.First ? ranks[i] : 0).Sum();
        var u = rankSum - (n1 * (n1 + 1) / 2);
        var mean = n1 * n2 / 2;
        var sd = Math.Sqrt(n1 * n2 / 12 * ((n + 1) - (tieTerm / (n * (n - 1)))));
        var z = (Math.Abs(u - mean) - 0.5) / sd;
        return Math.Min(1, 2 * NormalUpperTail(Math.Max(0, z)));
    }

    /// <summary>Two-sided p-value of the two-sample Kolmogorov-Smirnov test (asymptotic distribution with Stephens' correction).</summary>
    public static double KolmogorovSmirnovP(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var x = a.Order().ToArray();
        var y = b.Order().ToArray();
        int i = 0, j = 0;
        var d = 0.0;
        while (i < x.Length && j < y.Length)
        {
            var v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] == v)
            {
                i++;
            }

            while (j < y.Length && y[j] == v)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs(((double)i / x.Length) - ((double)j / y.Length)));
        }

        var ne = Math.Sqrt((double)x.Length * y.Length / (x.Length + y.Length));
        var lambda = (ne + 0.12 + (0.11 / ne)) * d;
        var p = 0.0;
        for (var k = 1; k <= 100; k++)
        {
            p += 2 * Math.Pow(-1, k - 1) * Math.Exp(-2 * k * k * lambda * lambda);
        }

        return Math.Clamp(p, 0, 1);
    }

    /// <summary>P(Z &gt; z) for a standard normal Z (Abramowitz and Stegun 7.1.26 via erfc).</summary>
    private static double NormalUpperTail(double z)
    {
        var x = z / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var poly = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        var erfc = poly * Math.Exp(-x * x);
        return erfc / 2;
    }
}
