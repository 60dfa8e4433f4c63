using System.Management.Automation;
using CloudGateway.Client.Providers;

namespace CloudGateway.PowerShell.Commands;

/// <summary>Gets the stored providers with their gateway lists, each gateway's health and when the list was refreshed.</summary>
[Cmdlet(VerbsCommon.Get, "CloudProvider")]
[OutputType(typeof(CloudProvider))]
public sealed class GetCloudProviderCommand : CloudGatewayCmdlet
{
    /// <summary>Names of providers to get; wildcards allowed. All providers when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Try(null, () =>
        {
            var providers = TenantSession.Current.Providers.Store.GetProviders();
            if (Name is null)
            {
                WriteObject(providers, enumerateCollection: true);
                return;
            }

            foreach (var name in Name)
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                var matches = providers.Where(p => pattern.IsMatch(p.Name)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteGatewayError(new GatewayException(GatewayErrorCode.NotFound, $"There is no provider named '{name}'.", name));
                }

                WriteObject(matches, enumerateCollection: true);
            }
        });
    }
}
