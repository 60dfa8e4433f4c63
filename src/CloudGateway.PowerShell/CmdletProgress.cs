using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;

namespace CloudGateway.PowerShell;

/// <summary>
/// One cmdlet call's progress bar: turns the engine's <see cref="WorkProgress"/> reports into progress records of
/// one activity id. A report made on the pipeline thread is written at once; a report made on another thread (the
/// relay's drain, a probe's socket callbacks) is queued and written by the pipeline thread while it waits for the
/// work, because <see cref="Cmdlet.WriteProgress"/> throws on any other thread.
/// </summary>
internal sealed class CmdletProgress : IProgress<WorkProgress>, IDisposable
{
    // A report that moves the percentage, or starts a phase (names no item), is always written; one about the next
    // item at the same percentage waits this long, so an operation that reports every row does not flood the host
    // (or a hosted runspace's Streams.Progress).
    private static readonly TimeSpan QuietInterval = TimeSpan.FromMilliseconds(200);

    private readonly Cmdlet _cmdlet;
    private readonly int _activityId;
    private readonly string _activity;
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    private readonly ConcurrentQueue<WorkProgress> _queued = new();
    private readonly AutoResetEvent _arrived = new(false);
    private readonly Stopwatch _sinceWritten = new();
    private int _lastPercent = int.MinValue;

    /// <summary>A progress bar for <paramref name="cmdlet"/>, under <paramref name="activityId"/> and <paramref name="activity"/>.</summary>
    public CmdletProgress(Cmdlet cmdlet, int activityId, string activity)
    {
        _cmdlet = cmdlet;
        _activityId = activityId;
        _activity = activity;
    }

    /// <summary>Whether a record has been written, so the bar needs a completed record to go away.</summary>
    public bool Written { get; private set; }

    /// <inheritdoc />
    public void Report(WorkProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Environment.CurrentManagedThreadId == _pipelineThread)
        {
            Write(value);
            return;
        }

        _queued.Enqueue(value);
        _arrived.Set();
    }

    /// <summary>Blocks the pipeline thread until <paramref name="work"/> ends, writing the reports other threads queue meanwhile.</summary>
    public void Wait(Task work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var wakeUps = new[] { ((IAsyncResult)work).AsyncWaitHandle, _arrived };
        while (!work.IsCompleted)
        {
            WaitHandle.WaitAny(wakeUps);
            WriteQueued();
        }

        WriteQueued();
    }

    /// <summary>Writes the completed record that takes the bar away, when a record was written at all.</summary>
    public void Complete()
    {
        WriteQueued();
        if (Written)
        {
            _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
            Written = false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _arrived.Dispose();

    private void WriteQueued()
    {
        while (_queued.TryDequeue(out var value))
        {
            Write(value);
        }
    }

    private void Write(WorkProgress value)
    {
        var percent = value.PercentComplete ?? -1;
        if (Written && percent == _lastPercent && value.CurrentOperation is not null && _sinceWritten.Elapsed < QuietInterval)
        {
            return;
        }

        var record = new ProgressRecord(_activityId, _activity, string.IsNullOrEmpty(value.Status) ? _activity : value.Status)
        {
            PercentComplete = percent,
            SecondsRemaining = value.Remaining is { } remaining ? (int)Math.Ceiling(Math.Max(0, remaining.TotalSeconds)) : -1,
            CurrentOperation = value.CurrentOperation,
        };
        _cmdlet.WriteProgress(record);
        _lastPercent = percent;
        Written = true;
        _sinceWritten.Restart();
    }
}
