using System.Collections;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Completion;

/// <summary>Completes hardware plan names from the session's database.</summary>
public sealed class HardwarePlanNameCompleter : StoreNameCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Names(IConfigurationStore store, IDictionary fakeBoundParameters) =>
        ModuleSession.Current.NetworkExtension.GetHardwarePlans().Select(plan => plan.Name);
}
