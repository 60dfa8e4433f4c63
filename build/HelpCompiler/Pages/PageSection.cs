using CloudGateway.Build.Help.Markdown;

namespace CloudGateway.Build.Help.Pages;

/// <summary>A heading and the blocks under it, up to the next heading of the same or a higher level.</summary>
internal sealed record PageSection(Heading Heading, IReadOnlyList<MarkdownBlock> Body)
{
    public IEnumerable<Paragraph> Paragraphs => Body.OfType<Paragraph>();

    public IEnumerable<CodeFence> Fences => Body.OfType<CodeFence>();

    /// <summary>The paragraphs as console text.</summary>
    public IReadOnlyList<string> PlainParagraphs() => Paragraphs.Select(p => InlineText.Plain(p.Text)).ToList();

    /// <summary>Splits <paramref name="blocks"/> at each heading of <paramref name="level"/>; blocks before the first are dropped.</summary>
    public static IReadOnlyList<PageSection> Split(IEnumerable<MarkdownBlock> blocks, int level)
    {
        var sections = new List<PageSection>();
        Heading? heading = null;
        var body = new List<MarkdownBlock>();
        foreach (var block in blocks)
        {
            if (block is Heading h && h.Level <= level)
            {
                Close();
                heading = h.Level == level ? h : null;
                continue;
            }

            body.Add(block);
        }

        Close();
        return sections;

        void Close()
        {
            if (heading is not null)
            {
                sections.Add(new PageSection(heading, body.ToList()));
            }

            body.Clear();
        }
    }
}
