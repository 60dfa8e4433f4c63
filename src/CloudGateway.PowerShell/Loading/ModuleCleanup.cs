using System.Management.Automation;

namespace CloudGateway.PowerShell.Loading;

/// <summary>
/// Runs when the module is removed: stops the module's relay and every session's tunnels and closes every session's
/// store, because listeners left running would keep their ports after the module is gone.
/// </summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        ModuleRelay.StopAll();
        TenantSession.CloseAll();
        ModuleSession.CloseAll();
    }
}
