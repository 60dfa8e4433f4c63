using System.Management.Automation;

namespace CloudGateway.Tests.PowerShell.Hosted;

/// <summary>What every long cmdlet's progress must look like.</summary>
internal static class ProgressAssert
{
    /// <summary>
    /// One activity id throughout; at least <paramref name="minimumReports"/> processing records whose known
    /// percentages stay within 0-100 and never go back; and a completed record last.
    /// </summary>
    public static IReadOnlyList<ProgressRecord> Completes(IReadOnlyList<ProgressRecord> records, int minimumReports = 2)
    {
        Assert.True(records.Count > 0, "No progress record was written.");
        Assert.Single(records.Select(r => r.ActivityId).Distinct());
        var reports = records.Where(r => r.RecordType == ProgressRecordType.Processing).ToList();
        Assert.True(reports.Count >= minimumReports, $"{reports.Count} progress report(s), expected at least {minimumReports}: {Describe(records)}");
        var percentages = reports.Select(r => r.PercentComplete).Where(p => p >= 0).ToList();
        Assert.All(percentages, p => Assert.InRange(p, 0, 100));
        for (var i = 1; i < percentages.Count; i++)
        {
            Assert.True(percentages[i] >= percentages[i - 1], "The percentage went back: " + Describe(records));
        }

        Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
        Assert.Single(records, r => r.RecordType == ProgressRecordType.Completed);
        return reports;
    }

    public static string Describe(IEnumerable<ProgressRecord> records) =>
        string.Join(" | ", records.Select(r => $"{r.RecordType} {r.PercentComplete}% {r.StatusDescription} [{r.CurrentOperation}]"));
}
