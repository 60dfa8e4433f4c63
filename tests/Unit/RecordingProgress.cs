namespace CloudGateway.Tests;

/// <summary>Keeps every report in order, on the reporting thread (Progress&lt;T&gt; would post them elsewhere, later).</summary>
internal sealed class RecordingProgress : IProgress<WorkProgress>
{
    private readonly List<WorkProgress> _reports = [];

    public IReadOnlyList<WorkProgress> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(WorkProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }
    }
}
