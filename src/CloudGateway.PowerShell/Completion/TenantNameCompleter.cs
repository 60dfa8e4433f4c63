using System.Collections;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Completion;

/// <summary>Completes tenant names from the store.</summary>
public sealed class TenantNameCompleter : StoreNameCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Names(IConfigurationStore store, IDictionary fakeBoundParameters) =>
        store.GetTenants().Select(tenant => tenant.Name);
}
