namespace CloudGateway.Networking.Appliance;

/// <summary>The inverse of every change applied so far, undone newest first when a later step fails.</summary>
internal sealed class UndoJournal
{
    private readonly Stack<(string What, Action Undo)> _steps = new();

    public void Add(string what, Action undo) => _steps.Push((what, undo));

    /// <summary>Forgets the recorded steps: the changes are now kept.</summary>
    public void Commit() => _steps.Clear();

    /// <summary>Undoes every step; returns the steps that could not be undone, with why.</summary>
    public IReadOnlyList<string> Rollback()
    {
        var failures = new List<string>();
        while (_steps.TryPop(out var step))
        {
            try
            {
                step.Undo();
            }
            catch (GatewayException ex)
            {
                failures.Add($"{step.What}: {ex.Message}");
            }
        }

        return failures;
    }
}
