namespace CloudGateway;

/// <summary>
/// How far a long engine operation has got, reported through <see cref="IProgress{T}"/> from whichever thread does
/// the work: a status line, the percentage done when the work has a known size or a deadline, and the time left
/// when it has a deadline. The engine never writes to a console; the PowerShell layer turns each report into a
/// progress record of the calling cmdlet.
/// </summary>
public sealed record WorkProgress
{
    /// <summary>What is happening now, in a few words ("3 of 120 entities written", "2 sessions left").</summary>
    public required string Status { get; init; }

    /// <summary>0 to 100, never going back within one operation; null while the size of the work is unknown.</summary>
    public int? PercentComplete { get; init; }

    /// <summary>The time left before the work ends by itself (a drain's deadline), or null.</summary>
    public TimeSpan? Remaining { get; init; }

    /// <summary>The item being worked on (a gateway, a bridge), or null.</summary>
    public string? CurrentOperation { get; init; }

    /// <summary>A report for step <paramref name="done"/> of <paramref name="total"/>, its percentage derived from the two.</summary>
    public static WorkProgress Step(long done, long total, string status, string? currentOperation = null) => new()
    {
        Status = status,
        PercentComplete = Percent(done, total),
        CurrentOperation = currentOperation,
    };

    /// <summary><paramref name="done"/> of <paramref name="total"/> as a whole percentage from 0 to 100; 100 when there is nothing to do.</summary>
    public static int Percent(long done, long total) => total <= 0 ? 100 : (int)Math.Clamp(done * 100 / total, 0, 100);
}
