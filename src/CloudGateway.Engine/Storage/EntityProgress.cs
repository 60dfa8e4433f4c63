using System.Globalization;

namespace CloudGateway.Storage;

/// <summary>
/// Counts the gateways, pools, tenants and resources a whole-configuration operation (export, import) has handled
/// and reports each one as a step of the total; shared by the document writer and every store's replace.
/// </summary>
internal sealed class EntityProgress
{
    private readonly IProgress<WorkProgress>? _progress;
    private readonly string _verb;
    private readonly long _total;
    private long _done;

    /// <summary>Counts the entities of <paramref name="document"/>, reported as "<c>n of total entities <paramref name="verb"/></c>".</summary>
    public EntityProgress(IProgress<WorkProgress>? progress, ConfigurationDocument document, string verb)
    {
        _progress = progress;
        _verb = verb;
        _total = Count(document);
    }

    /// <summary>The number of entities in <paramref name="document"/>.</summary>
    public static long Count(ConfigurationDocument document) =>
        (long)document.Gateways.Count + document.Pools.Count + document.Tenants.Count + document.Resources.Count;

    /// <summary>Counts one more entity done; <paramref name="what"/> names it ("tenant contoso").</summary>
    public void Done(string what)
    {
        _done++;
        _progress?.Report(WorkProgress.Step(_done, _total, string.Create(CultureInfo.InvariantCulture, $"{_done} of {_total} entities {_verb}"), what));
    }
}
