namespace CloudGateway.Build.Help.Pages;

/// <summary>One cmdlet's help as its page gives it, ready to be written as MAML.</summary>
internal sealed record CommandHelp(
    string Name,
    string HelpFile,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<RelatedLink> Links)
{
    public string Verb => Name.Split('-', 2)[0];

    public string Noun => Name.Split('-', 2) is [_, var noun] ? noun : string.Empty;

    /// <summary>The parameters of <paramref name="set"/>, in the order its syntax block lists them.</summary>
    public IEnumerable<(ParameterHelp Parameter, ParameterUsage Usage)> ParametersOf(SyntaxSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        foreach (var name in set.ParameterOrder)
        {
            var parameter = Parameters.First(p => p.Name == name);
            yield return (parameter, parameter.UsageIn(set.Name)!);
        }
    }
}

/// <summary>
/// A parameter set as the SYNTAX section names it (<see cref="AllSets"/> when the page has one unnamed syntax
/// block), and its parameters in the order that block lists them.
/// </summary>
internal sealed record SyntaxSet(string Name, bool IsDefault, IReadOnlyList<string> ParameterOrder)
{
    public const string AllSets = "(All)";
}

/// <summary>A parameter: what every set shares, and how each set uses it (one yaml block per group of sets).</summary>
internal sealed record ParameterHelp(
    string Name,
    IReadOnlyList<string> Description,
    string Type,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    string DefaultValue,
    bool AcceptsWildcards,
    IReadOnlyList<ParameterUsage> Usages)
{
    public bool IsSwitch => Type == "SwitchParameter";

    /// <summary>How <paramref name="set"/> uses this parameter, or null when it is not in that set.</summary>
    public ParameterUsage? UsageIn(string set) =>
        Usages.FirstOrDefault(u => u.Sets.Contains(SyntaxSet.AllSets) || u.Sets.Contains(set));
}

/// <summary>How the named sets (or <see cref="SyntaxSet.AllSets"/>) use a parameter.</summary>
internal sealed record ParameterUsage(IReadOnlyList<string> Sets, bool Required, string Position, string PipelineInput);

/// <summary>An example: its title, its code, and the text that explains it.</summary>
internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>An input or output type and what the page says of it.</summary>
internal sealed record TypeHelp(string Name, IReadOnlyList<string> Description);

/// <summary>A related link: its text, and its address when it is a web address (pages link to each other by file).</summary>
internal sealed record RelatedLink(string Text, string Uri);
