using System.Text;

namespace CloudGateway.Hosting;

/// <summary>Builds the binPath of a Windows service, quoted the way the C runtime splits a command line.</summary>
public static class WindowsServiceCommandLine
{
    /// <summary>The program and every argument of <paramref name="definition"/> as one command line.</summary>
    public static string Build(ServiceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return string.Join(' ', definition.CommandWords().Select(Quote));
    }

    /// <summary>
    /// One argument as CommandLineToArgvW reads it back: quoted when it holds blanks or quotes, with backslashes
    /// doubled only where they precede a quote.
    /// </summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && !word.Any(c => c is ' ' or '\t' or '"'))
        {
            return word;
        }

        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in word)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
            backslashes = 0;
        }

        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }
}
