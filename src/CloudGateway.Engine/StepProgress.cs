using System.Globalization;

namespace CloudGateway;

/// <summary>Reports a fixed sequence of steps as "Step n of m: what", each before it runs.</summary>
internal sealed class StepProgress(IProgress<WorkProgress>? progress, int total)
{
    private int _done;

    /// <summary>Reports the step about to run; <paramref name="what"/> names what it works on.</summary>
    public void Next(string what)
    {
        progress?.Report(WorkProgress.Step(_done, total, string.Create(CultureInfo.InvariantCulture, $"Step {_done + 1} of {total}"), what));
        _done++;
    }
}
