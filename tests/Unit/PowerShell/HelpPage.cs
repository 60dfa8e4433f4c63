namespace CloudGateway.Tests.PowerShell;

/// <summary>A platyPS-style markdown help page split into its sections, examples and parameter descriptions.</summary>
internal sealed class HelpPage
{
    public static readonly string[] RequiredSections = ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS"];

    private HelpPage(string text, Dictionary<string, string> sections, List<string> examples, Dictionary<string, string> parameters)
    {
        Text = text;
        Sections = sections;
        Examples = examples;
        Parameters = parameters;
    }

    public string Text { get; }

    /// <summary>Each <c>## NAME</c> section's body.</summary>
    public IReadOnlyDictionary<string, string> Sections { get; }

    /// <summary>The body of each <c>### Example</c> under EXAMPLES.</summary>
    public IReadOnlyList<string> Examples { get; }

    /// <summary>Each <c>### -Name</c> under PARAMETERS, with its body.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    public static HelpPage Parse(string text)
    {
        var sections = Split(text, "## ");
        var examples = sections.TryGetValue("EXAMPLES", out var exampleText)
            ? Split(exampleText, "### ").Where(e => e.Key.StartsWith("Example", StringComparison.OrdinalIgnoreCase)).Select(e => e.Value).ToList()
            : [];
        var parameters = sections.TryGetValue("PARAMETERS", out var parameterText)
            ? Split(parameterText, "### ").Where(p => p.Key.StartsWith('-')).ToDictionary(p => p.Key[1..].Trim(), p => p.Value)
            : [];
        return new HelpPage(text, sections, examples, parameters);
    }

    // Headings at exactly this level, outside code fences, each with the text up to the next one.
    private static Dictionary<string, string> Split(string text, string marker)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? heading = null;
        var body = new List<string>();
        var inFence = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (!inFence && line.StartsWith(marker, StringComparison.Ordinal))
            {
                Flush();
                heading = line[marker.Length..].Trim();
                continue;
            }

            body.Add(line);
        }

        Flush();
        return result;

        void Flush()
        {
            if (heading is not null)
            {
                result[heading] = string.Join('\n', body);
            }

            body.Clear();
        }
    }
}
