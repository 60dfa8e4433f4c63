using System.Collections;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Completion;

/// <summary>Completes gateway names from the store.</summary>
public sealed class GatewayNameCompleter : StoreNameCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Names(IConfigurationStore store, IDictionary fakeBoundParameters) =>
        store.GetGateways().Select(gateway => gateway.Name);
}
