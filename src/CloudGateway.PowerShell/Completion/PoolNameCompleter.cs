using System.Collections;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Completion;

/// <summary>Completes gateway pool names from the store.</summary>
public sealed class PoolNameCompleter : StoreNameCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Names(IConfigurationStore store, IDictionary fakeBoundParameters) =>
        store.GetPools().Select(pool => pool.Name);
}
