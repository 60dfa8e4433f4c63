using System.Text.RegularExpressions;
using CloudGateway.Build.Help.Markdown;

namespace CloudGateway.Build.Help.Pages;

/// <summary>
/// Reads one platyPS-style command page (schema 2.0.0) into <see cref="CommandHelp"/>, reporting every problem at
/// once: a missing or empty section, placeholder text, a parameter without description or metadata, and a SYNTAX
/// section that disagrees with the sets PARAMETERS gives.
/// </summary>
internal sealed partial class CommandPageReader
{
    public static readonly string[] RequiredSections = ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS"];

    private static readonly string[] RequiredParameterKeys = ["Type", "Parameter Sets", "Required", "Position", "Accept pipeline input"];

    private const string HelpFileKey = "external help file";
    private const string CommonParameters = "CommonParameters";
    private const string DefaultSetSuffix = "(Default)";

    private readonly string _file;
    private readonly List<HelpProblem> _problems = [];

    private CommandPageReader(string file) => _file = file;

    /// <summary>The page's help, or null with the problems that keep it from being help.</summary>
    public static (CommandHelp? Help, IReadOnlyList<HelpProblem> Problems) Read(string file, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentNullException.ThrowIfNull(text);
        var reader = new CommandPageReader(file);
        var help = reader.ReadPage(text);
        return reader._problems.Count == 0 ? (help, []) : (null, reader._problems);
    }

    private CommandHelp ReadPage(string text)
    {
        FindPlaceholders(text);
        var document = MarkdownReader.Read(text);
        if (!document.FrontMatter.TryGetValue(HelpFileKey, out var helpFile) || helpFile.Length == 0)
        {
            Problem(1, $"The front matter has no '{HelpFileKey}'.");
        }

        var title = document.Blocks.OfType<Heading>().FirstOrDefault(h => h.Level == 1);
        var expectedName = Path.GetFileNameWithoutExtension(_file);
        if (title is null || title.Text != expectedName)
        {
            Problem(title?.Line ?? 1, $"The page's title must be '# {expectedName}', the name of its file.");
        }

        var sections = PageSection.Split(document.Blocks, 2).ToDictionary(s => s.Heading.Text, StringComparer.Ordinal);
        foreach (var missing in RequiredSections.Where(name => !sections.ContainsKey(name)))
        {
            Problem(title?.Line ?? 1, $"The page has no '## {missing}' section.");
        }

        var synopsis = string.Join(' ', Section(sections, "SYNOPSIS")?.PlainParagraphs() ?? []);
        var description = Section(sections, "DESCRIPTION")?.PlainParagraphs() ?? [];
        RequireText(sections, "SYNOPSIS", synopsis.Length > 0);
        RequireText(sections, "DESCRIPTION", description.Count > 0);

        var syntax = ReadSyntax(Section(sections, "SYNTAX"));
        var parameters = ReadParameters(Section(sections, "PARAMETERS"));
        CheckSyntaxAgainstParameters(Section(sections, "SYNTAX"), syntax, parameters);

        return new CommandHelp(
            title?.Text ?? expectedName,
            helpFile ?? string.Empty,
            synopsis,
            description,
            syntax,
            parameters,
            ReadExamples(Section(sections, "EXAMPLES")),
            ReadTypes(Section(sections, "INPUTS")),
            ReadTypes(Section(sections, "OUTPUTS")),
            Section(sections, "NOTES")?.PlainParagraphs() ?? [],
            ReadLinks(Section(sections, "RELATED LINKS")));
    }

    private static PageSection? Section(Dictionary<string, PageSection> sections, string name) => sections.GetValueOrDefault(name);

    private void RequireText(Dictionary<string, PageSection> sections, string name, bool present)
    {
        if (!present && sections.TryGetValue(name, out var section))
        {
            Problem(section.Heading.Line, $"'## {name}' is empty.");
        }
    }

    private void FindPlaceholders(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains("{{", StringComparison.Ordinal))
            {
                Problem(i + 1, $"Placeholder text left in the page: '{lines[i].Trim()}'.");
            }
        }
    }

    // One set per '### Name' heading, or one set for every parameter when the page has a single unnamed block.
    private List<SyntaxSet> ReadSyntax(PageSection? section)
    {
        if (section is null)
        {
            return [];
        }

        var named = PageSection.Split(section.Body, 3);
        if (named.Count == 0)
        {
            var fence = section.Fences.FirstOrDefault();
            if (fence is null)
            {
                Problem(section.Heading.Line, "'## SYNTAX' has no code block.");
                return [];
            }

            return [new SyntaxSet(SyntaxSet.AllSets, true, SyntaxParameters(fence.Code))];
        }

        var sets = new List<SyntaxSet>();
        foreach (var set in named)
        {
            var name = set.Heading.Text;
            var isDefault = name.EndsWith(DefaultSetSuffix, StringComparison.Ordinal);
            name = isDefault ? name[..^DefaultSetSuffix.Length].TrimEnd() : name;
            var fence = set.Fences.FirstOrDefault();
            if (fence is null)
            {
                Problem(set.Heading.Line, $"The syntax of set {name} has no code block.");
                continue;
            }

            sets.Add(new SyntaxSet(name, isDefault, SyntaxParameters(fence.Code)));
        }

        if (sets.Count(s => s.IsDefault) > 1)
        {
            Problem(section.Heading.Line, "More than one parameter set is marked (Default).");
        }

        return sets;
    }

    private static List<string> SyntaxParameters(string code) =>
        SyntaxParameterPattern().Matches(code).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

    private List<ParameterHelp> ReadParameters(PageSection? section)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var entry in PageSection.Split(section?.Body ?? [], 3))
        {
            var heading = entry.Heading.Text;
            if (heading == CommonParameters)
            {
                continue;
            }

            if (!heading.StartsWith('-') || heading.Length < 2)
            {
                Problem(entry.Heading.Line, $"'### {heading}' under PARAMETERS is neither '### -Name' nor '### CommonParameters'.");
                continue;
            }

            if (ReadParameter(entry, heading[1..]) is { } parameter)
            {
                parameters.Add(parameter);
            }
        }

        return parameters;
    }

    private ParameterHelp? ReadParameter(PageSection entry, string name)
    {
        var firstYaml = entry.Body.TakeWhile(b => b is not CodeFence { Info: "yaml" });
        var description = firstYaml.OfType<Paragraph>().Select(p => InlineText.Plain(p.Text)).ToList();
        if (description.Count == 0)
        {
            Problem(entry.Heading.Line, $"-{name} has no description.");
        }

        var blocks = entry.Fences.Where(f => f.Info == "yaml").ToList();
        if (blocks.Count == 0)
        {
            Problem(entry.Heading.Line, $"-{name} has no yaml block (Type, Parameter Sets, Required, Position, ...).");
            return null;
        }

        var values = blocks.Select(ReadYaml).ToList();
        for (var i = 0; i < blocks.Count; i++)
        {
            foreach (var key in RequiredParameterKeys.Where(key => !values[i].ContainsKey(key)))
            {
                Problem(blocks[i].Line, $"The yaml block of -{name} has no '{key}'.");
            }

            if (values[i].GetValueOrDefault("Type") != values[0].GetValueOrDefault("Type"))
            {
                Problem(blocks[i].Line, $"The yaml blocks of -{name} give different types.");
            }
        }

        var first = values[0];
        return new ParameterHelp(
            name,
            description,
            first.GetValueOrDefault("Type", string.Empty),
            List(first.GetValueOrDefault("Aliases")),
            List(first.GetValueOrDefault("Accepted values")),
            first.GetValueOrDefault("Default value") is { Length: > 0 } defaultValue ? defaultValue : "None",
            IsTrue(first.GetValueOrDefault("Accept wildcard characters")),
            values.Select(v => new ParameterUsage(
                List(v.GetValueOrDefault("Parameter Sets")),
                IsTrue(v.GetValueOrDefault("Required")),
                v.GetValueOrDefault("Position", "Named"),
                v.GetValueOrDefault("Accept pipeline input", "False"))).ToList());
    }

    private static Dictionary<string, string> ReadYaml(CodeFence fence)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in fence.Code.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return values;
    }

    private static List<string> List(string? value) =>
        (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool IsTrue(string? value) => string.Equals(value, "True", StringComparison.OrdinalIgnoreCase);

    // Each set's syntax block must list exactly the parameters PARAMETERS puts in that set, and no parameter may
    // name a set the SYNTAX section does not have.
    private void CheckSyntaxAgainstParameters(PageSection? section, List<SyntaxSet> syntax, List<ParameterHelp> parameters)
    {
        if (section is null || syntax.Count == 0)
        {
            return;
        }

        var setNames = syntax.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            foreach (var set in parameter.Usages.SelectMany(u => u.Sets).Where(s => s != SyntaxSet.AllSets && !setNames.Contains(s)))
            {
                Problem(section.Heading.Line, $"-{parameter.Name} names the parameter set '{set}', which SYNTAX does not have.");
            }
        }

        foreach (var set in syntax)
        {
            foreach (var name in set.ParameterOrder.Where(name => parameters.All(p => p.Name != name)))
            {
                Problem(section.Heading.Line, $"The syntax of set {set.Name} lists -{name}, which PARAMETERS does not describe.");
            }

            var listed = set.ParameterOrder.ToHashSet(StringComparer.Ordinal);
            foreach (var parameter in parameters.Where(p => p.UsageIn(set.Name) is not null && !listed.Contains(p.Name)))
            {
                Problem(section.Heading.Line, $"PARAMETERS puts -{parameter.Name} in set {set.Name}, but its syntax does not list it.");
            }

            foreach (var parameter in parameters.Where(p => listed.Contains(p.Name) && p.UsageIn(set.Name) is null))
            {
                Problem(section.Heading.Line, $"The syntax of set {set.Name} lists -{parameter.Name}, but PARAMETERS does not put it in that set.");
            }
        }
    }

    private List<ExampleHelp> ReadExamples(PageSection? section)
    {
        var examples = new List<ExampleHelp>();
        foreach (var example in PageSection.Split(section?.Body ?? [], 3))
        {
            var code = string.Join("\n\n", example.Fences.Select(f => f.Code));
            if (code.Length == 0)
            {
                Problem(example.Heading.Line, $"'{example.Heading.Text}' has no code block.");
            }

            examples.Add(new ExampleHelp(example.Heading.Text, code, example.PlainParagraphs()));
        }

        if (section is not null && examples.Count == 0)
        {
            Problem(section.Heading.Line, "'## EXAMPLES' has no '### Example' with code.");
        }

        return examples;
    }

    private List<TypeHelp> ReadTypes(PageSection? section)
    {
        var types = PageSection.Split(section?.Body ?? [], 3).Select(t => new TypeHelp(t.Heading.Text, t.PlainParagraphs())).ToList();
        if (section is not null && types.Count == 0)
        {
            Problem(section.Heading.Line, $"'## {section.Heading.Text}' names no type ('### TypeName', or '### None').");
        }

        return types;
    }

    private static List<RelatedLink> ReadLinks(PageSection? section) =>
        (section?.Paragraphs ?? [])
            .SelectMany(p => LinkPattern().Matches(p.Text))
            .Select(m => new RelatedLink(m.Groups[1].Value, IsWebAddress(m.Groups[2].Value) ? m.Groups[2].Value : string.Empty))
            .ToList();

    private static bool IsWebAddress(string target) =>
        target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    private void Problem(int line, string message) => _problems.Add(new HelpProblem(_file, line, message));

    // "-Name" after a space or '[' (so the hyphen inside the cmdlet's own name is not one).
    [GeneratedRegex(@"(?:^|[\s\[])-([A-Za-z]\w*)")]
    private static partial Regex SyntaxParameterPattern();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]*)\)")]
    private static partial Regex LinkPattern();
}
