using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CloudGateway.PowerShell;

/// <summary>Completes the names of the providers stored in the session's database.</summary>
public sealed class ProviderNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        try
        {
            return [.. TenantSession.Current.Providers.Store.GetProviders()
                .Where(p => pattern.IsMatch(p.Name))
                .Select(p => new CompletionResult(p.Name.Contains(' ', StringComparison.Ordinal) ? $"'{p.Name}'" : p.Name, p.Name, CompletionResultType.ParameterValue, $"{p.Name} ({p.Address}:{p.Port})"))];
        }
        catch (GatewayException)
        {
            // Completion offers nothing when the store cannot be read; the command itself will report why.
            return [];
        }
    }
}
