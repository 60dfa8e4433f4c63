using System.Collections;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Completion;

/// <summary>Completes network names: those of the typed tenant's hardware plan, or of every plan.</summary>
public sealed class PlanNetworkNameCompleter : StoreNameCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Names(IConfigurationStore store, IDictionary fakeBoundParameters)
    {
        ArgumentNullException.ThrowIfNull(fakeBoundParameters);
        var networkExtension = ModuleSession.Current.NetworkExtension;
        var tenant = fakeBoundParameters["Tenant"] switch
        {
            string one => one,
            string[] { Length: 1 } many => many[0],
            _ => null,
        };
        var plans = tenant is not null && networkExtension.GetConfiguration(tenant).HardwarePlan is { } plan
            ? [networkExtension.GetHardwarePlan(plan)]
            : networkExtension.GetHardwarePlans();
        return plans.SelectMany(p => p.Networks).Select(n => n.Name).Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
