using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CloudGateway.Storage;

namespace CloudGateway.PowerShell.Completion;

/// <summary>
/// Completes a parameter with names read from the session's store; an unreadable store offers no completions
/// rather than an error in the middle of typing.
/// </summary>
public abstract class StoreNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern(WildcardPattern.Escape(wordToComplete.Trim('\'', '"')) + "*", WildcardOptions.IgnoreCase);
        IEnumerable<string> names;
        try
        {
            names = Names(ModuleSession.Current.Store, fakeBoundParameters);
        }
        catch (GatewayException)
        {
            return [];
        }

        return names.Where(pattern.IsMatch).Select(name => new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, name)).ToList();
    }

    /// <summary>The names this completer offers, read from <paramref name="store"/>.</summary>
    protected abstract IEnumerable<string> Names(IConfigurationStore store, IDictionary fakeBoundParameters);

    private static string Quote(string name) =>
        name.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or ';' or '(' or ')' or '{' or '}' or ',')
            ? "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'"
            : name;
}
