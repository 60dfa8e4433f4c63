using System.Management.Automation;
using CloudGateway.Networking;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell;

/// <summary>
/// The base of every CloudGateway cmdlet: the session's store, Ctrl+C as a cancellation token, and engine
/// failures written as ErrorRecords. Disposable because EndProcessing does not run when the pipeline fails.
/// </summary>
public abstract class CloudGatewayCmdlet : PSCmdlet, IDisposable
{
    private static int s_lastActivityId;
    private readonly CancellationTokenSource _stopping = new();
    private int? _activityId;
    private bool _disposed;

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    protected CancellationToken CancellationToken => _stopping.Token;

    /// <summary>The configuration store this PowerShell session uses, opened on first use.</summary>
#pragma warning disable CA1822 // An instance member, so that derived cmdlets read as Store.AddGateway(...).
    protected IConfigurationStore Store => ModuleSession.Current.Store;

    /// <summary>The network extension tables (hardware plans, default gateways) of the same database.</summary>
    protected INetworkExtensionStore NetworkExtensionStore => ModuleSession.Current.NetworkExtension;
#pragma warning restore CA1822

    /// <summary>This PowerShell session's module state.</summary>
    internal static ModuleSession Session => ModuleSession.Current;

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Writes an engine failure as a non-terminating error and lets the pipeline go on.</summary>
    protected void WriteGatewayError(GatewayException exception, object? target = null) =>
        WriteError(ErrorMapping.ToErrorRecord(exception, target));

    /// <summary>Stops the whole call with an engine failure.</summary>
    protected void ThrowGatewayError(GatewayException exception, object? target = null) =>
        ThrowTerminatingError(ErrorMapping.ToErrorRecord(exception, target));

    /// <summary>
    /// Runs one per-item engine operation; a <see cref="GatewayException"/> becomes a non-terminating error with
    /// the item as target, so the next pipeline item is still processed. Any other exception stops the call with an
    /// UnexpectedError record.
    /// </summary>
    protected void Try(object? target, Action operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            operation();
        }
        catch (GatewayException ex) when (!IsStoreFailure(ex))
        {
            WriteGatewayError(ex, target);
        }
        catch (GatewayException ex)
        {
            ThrowGatewayError(ex, target);
        }
        catch (Exception ex) when (ex is not RuntimeException and not OperationCanceledException)
        {
            // PowerShell's own exceptions (a stopped pipeline, -ErrorAction Stop) pass through; anything else is a bug.
            ThrowTerminatingError(ErrorMapping.ToUnexpectedErrorRecord(ex, target));
        }
    }

    /// <summary>
    /// Runs engine work that reports its progress on the pipeline thread, as this call's progress bar under
    /// <paramref name="activity"/>; the bar is completed when the work ends. The work gets no reporter (null) when
    /// progress is silenced ($ProgressPreference or -ProgressAction SilentlyContinue), so nothing is even built.
    /// </summary>
    protected T RunWithProgress<T>(string activity, Func<IProgress<WorkProgress>?, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WithProgress(activity, progress => work(progress));
    }

    /// <summary>
    /// Starts asynchronous engine work and blocks the pipeline thread until it ends, writing the progress it reports
    /// from other threads as this call's progress bar under <paramref name="activity"/>. Ctrl+C cancels the work and
    /// stops the pipeline.
    /// </summary>
    protected T WaitWithProgress<T>(string activity, Func<IProgress<WorkProgress>?, CancellationToken, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WithProgress(activity, progress =>
        {
            try
            {
                var task = work(progress, CancellationToken);
                progress?.Wait(task);
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        });
    }

    /// <inheritdoc cref="WaitWithProgress{T}(string, Func{IProgress{WorkProgress}, CancellationToken, Task{T}})"/>
    protected void WaitWithProgress(string activity, Func<IProgress<WorkProgress>?, CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        WaitWithProgress(activity, (progress, cancellationToken) => Finished(work(progress, cancellationToken)));
    }

    /// <summary>Writes what an engine operation noted: details to the verbose stream, things to act on as warnings.</summary>
    protected void WriteNotes(IEnumerable<OperationNote> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        foreach (var note in notes)
        {
            switch (note.Kind)
            {
                case NoteKind.Failure:
                    WriteError(new ErrorRecord(new InvalidOperationException(note.Message), note.ErrorId, ErrorCategory.ResourceUnavailable, null));
                    break;
                case NoteKind.Attention:
                    WriteWarning(note.Message);
                    break;
                default:
                    WriteVerbose(note.Message);
                    break;
            }
        }
    }

    /// <summary>Whether the user gave <paramref name="parameterName"/>, so an update changes only what was asked for.</summary>
    protected bool IsBound(string parameterName) => MyInvocation.BoundParameters.ContainsKey(parameterName);

    /// <summary>
    /// Changes each named item as its own per-item operation: asks ShouldProcess with <paramref name="action"/>,
    /// runs <paramref name="change"/>, writes the notes <paramref name="review"/> makes of the changed item (what the
    /// change did, what to act on), and writes the item when <paramref name="passThru"/> is set.
    /// </summary>
    protected void ChangeEach<T>(IEnumerable<string> names, string action, Func<string, T> change, bool passThru, Func<T, IReadOnlyList<OperationNote>>? review = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(change);
        foreach (var name in names)
        {
            if (ShouldProcess(name, action))
            {
                Try(name, () =>
                {
                    var changed = change(name);
                    if (review is not null)
                    {
                        WriteNotes(review(changed));
                    }

                    if (passThru)
                    {
                        WriteObject(changed);
                    }
                });
            }
        }
    }

    /// <summary>
    /// Writes the items named in <paramref name="names"/>: a name with wildcards filters <paramref name="all"/> (no match
    /// is no error), a plain name must exist (NotFound otherwise), and no names at all writes every item.
    /// </summary>
    protected void WriteByName<T>(string[]? names, Func<IReadOnlyList<T>> all, Func<string, T> one, Func<T, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(one);
        ArgumentNullException.ThrowIfNull(nameOf);
        if (names is null || names.Length == 0)
        {
            Try(null, () => WriteObject(all(), enumerateCollection: true));
            return;
        }

        foreach (var name in names)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                Try(name, () => WriteObject(all().Where(item => pattern.IsMatch(nameOf(item))), enumerateCollection: true));
            }
            else
            {
                Try(name, () => WriteObject(one(name)));
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the cancellation source; derived cmdlets release their own resources too.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        if (disposing)
        {
            _stopping.Dispose();
        }

        _disposed = true;
    }

    private static async Task<bool> Finished(Task task)
    {
        await task.ConfigureAwait(false);
        return true;
    }

    private T WithProgress<T>(string activity, Func<CmdletProgress?, T> work)
    {
        using var progress = ProgressSilenced() ? null : new CmdletProgress(this, ActivityId, activity);
        try
        {
            return work(progress);
        }
        finally
        {
            // A stopping pipeline refuses every write; its host takes the bar away itself.
            if (progress is not null && !Stopping)
            {
                progress.Complete();
            }
        }
    }

    // One activity id for the whole call, however many items it works on; unique in the process, so a call nested in
    // another's progress (a ForEach-Object with its own Write-Progress) never takes over that bar.
    private int ActivityId => _activityId ??= Interlocked.Increment(ref s_lastActivityId) & int.MaxValue;

    private bool ProgressSilenced()
    {
        var preference = MyInvocation.BoundParameters.TryGetValue("ProgressAction", out var given) ? given : GetVariableValue("ProgressPreference");
        return LanguagePrimitives.TryConvertTo(preference, out ActionPreference value) && value is ActionPreference.SilentlyContinue or ActionPreference.Ignore;
    }

    // An unreadable store stops the whole call: no later pipeline item could succeed either.
    private static bool IsStoreFailure(GatewayException ex) => ex.Code is GatewayErrorCode.StoreUnavailable
        or GatewayErrorCode.DatabaseCorrupt or GatewayErrorCode.NotAConfigurationDatabase or GatewayErrorCode.SchemaTooNew;
}
