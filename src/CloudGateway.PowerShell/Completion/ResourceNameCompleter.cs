using System.Collections;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Completion;

/// <summary>Completes resource names from the store, narrowed to the tenant already typed in <c>-Tenant</c>.</summary>
public sealed class ResourceNameCompleter : StoreNameCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Names(IConfigurationStore store, IDictionary fakeBoundParameters)
    {
        ArgumentNullException.ThrowIfNull(store);
        var tenant = fakeBoundParameters?["Tenant"] as string;
        return store.GetResources(string.IsNullOrEmpty(tenant) ? null : tenant).Select(resource => resource.Name).Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
