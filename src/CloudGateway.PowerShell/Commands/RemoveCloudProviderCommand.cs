using System.Management.Automation;
using CloudGateway.Client.Providers;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Removes stored providers with their gateway lists and saved passwords.</summary>
[Cmdlet(VerbsCommon.Remove, "CloudProvider", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByName)]
[OutputType(typeof(void))]
public sealed class RemoveCloudProviderCommand : CloudGatewayCmdlet
{
    private const string ByName = "ByName";
    private const string ByInputObject = "ByInputObject";

    /// <summary>The providers to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The providers to remove, as Get-CloudProvider returns them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByInputObject, ValueFromPipeline = true)]
    [ValidateNotNull]
    public CloudProvider[] InputObject { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var names = ParameterSetName == ByInputObject ? InputObject.Select(p => p.Name) : Name;
        foreach (var name in names)
        {
            if (ShouldProcess(name, "Remove cloud provider"))
            {
                Try(name, () => TenantSession.Current.Providers.Remove(name));
            }
        }
    }
}
