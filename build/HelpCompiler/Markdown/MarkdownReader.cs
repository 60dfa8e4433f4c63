using System.Text.RegularExpressions;

namespace CloudGateway.Build.Help.Markdown;

/// <summary>
/// Splits a page into the blocks help pages use: front matter, headings, fenced code, paragraphs and list items.
/// Nothing else of markdown matters to help, so nothing else is recognised.
/// </summary>
internal static partial class MarkdownReader
{
    private const string FrontMatterMarker = "---";

    public static MarkdownDocument Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var index = 0;
        var frontMatter = ReadFrontMatter(lines, ref index);
        var blocks = new List<MarkdownBlock>();
        var paragraph = new List<string>();
        var paragraphLine = 0;

        while (index < lines.Length)
        {
            var line = lines[index];
            var lineNumber = index + 1;
            index++;
            if (FenceOpening(line) is { } fence)
            {
                Flush();
                blocks.Add(ReadFence(lines, ref index, lineNumber, fence.Marker, fence.Info));
            }
            else if (HeadingPattern().Match(line) is { Success: true } heading)
            {
                Flush();
                blocks.Add(new Heading(lineNumber, heading.Groups[1].Length, heading.Groups[2].Value.Trim()));
            }
            else if (string.IsNullOrWhiteSpace(line))
            {
                Flush();
            }
            else
            {
                if (ListItemPattern().IsMatch(line))
                {
                    Flush();
                }

                if (paragraph.Count == 0)
                {
                    paragraphLine = lineNumber;
                }

                paragraph.Add(line.Trim());
            }
        }

        Flush();
        return new MarkdownDocument(frontMatter, blocks);

        void Flush()
        {
            if (paragraph.Count > 0)
            {
                blocks.Add(new Paragraph(paragraphLine, string.Join(' ', paragraph)));
                paragraph.Clear();
            }
        }
    }

    // The block between a first line of --- and the next ---, read as "key: value" lines.
    private static Dictionary<string, string> ReadFrontMatter(string[] lines, ref int index)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lines.Length == 0 || lines[0].Trim() != FrontMatterMarker)
        {
            return values;
        }

        for (index = 1; index < lines.Length; index++)
        {
            var line = lines[index];
            if (line.Trim() == FrontMatterMarker)
            {
                index++;
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return values;
    }

    private static (string Marker, string Info)? FenceOpening(string line)
    {
        var trimmed = line.TrimStart();
        foreach (var marker in (string[])["```", "~~~"])
        {
            if (trimmed.StartsWith(marker, StringComparison.Ordinal))
            {
                return (marker, trimmed.TrimStart(marker[0]).Trim());
            }
        }

        return null;
    }

    // An unclosed fence runs to the end of the page, as markdown renderers show it.
    private static CodeFence ReadFence(string[] lines, ref int index, int lineNumber, string marker, string info)
    {
        var code = new List<string>();
        while (index < lines.Length)
        {
            var line = lines[index];
            index++;
            if (line.TrimStart().StartsWith(marker, StringComparison.Ordinal))
            {
                break;
            }

            code.Add(line);
        }

        return new CodeFence(lineNumber, info, string.Join('\n', code).TrimEnd());
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*?)\s*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^\s*([-*+]|\d+\.)\s+")]
    private static partial Regex ListItemPattern();
}
