using System.Text.RegularExpressions;

namespace CloudGateway.Build.Help.Markdown;

/// <summary>
/// Turns markdown inline formatting into the plain text a console shows: links keep their text, code spans and
/// strong emphasis lose their markers, backslash escapes their backslash. A single * or _ is left alone, since
/// help text uses them literally (wildcards, snake_case).
/// </summary>
internal static partial class InlineText
{
    public static string Plain(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var text = LinkPattern().Replace(markdown, "$1");
        text = CodeSpanPattern().Replace(text, "$1");
        text = StrongPattern().Replace(text, "$2");
        return EscapePattern().Replace(text, "$1");
    }

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]*)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpanPattern();

    [GeneratedRegex(@"(\*\*|__)(\S(?:.*?\S)?)\1")]
    private static partial Regex StrongPattern();

    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!<>|])")]
    private static partial Regex EscapePattern();
}
