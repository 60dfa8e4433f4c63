using CloudGateway.Build.Help.Markdown;

namespace CloudGateway.Tests.Build.HelpCompiler;

public class MarkdownReaderTests
{
    [Fact]
    public void Read_Page_SplitsFrontMatterHeadingsFencesParagraphsAndListItemsWithTheirLines()
    {
        var document = MarkdownReader.Read("---\nexternal help file: A.dll-Help.xml\n---\n\n# Title\n\nOne\nparagraph.\n\n- item one\n- item\n  two\n\n```powershell\nGet-Thing\n\n  indented\n```\n");

        Assert.Equal("A.dll-Help.xml", document.FrontMatter["External Help File"]);
        Assert.Collection(
            document.Blocks,
            b => Assert.Equal(new Heading(5, 1, "Title"), b),
            b => Assert.Equal(new Paragraph(7, "One paragraph."), b),
            b => Assert.Equal(new Paragraph(10, "- item one"), b),
            b => Assert.Equal(new Paragraph(11, "- item two"), b),
            b => Assert.Equal(new CodeFence(14, "powershell", "Get-Thing\n\n  indented"), b));
    }

    [Fact]
    public void Read_HeadingInsideAFence_StaysCode()
    {
        var document = MarkdownReader.Read("```\n## not a heading\n```\n## SYNOPSIS\n");

        Assert.Equal([new CodeFence(1, "", "## not a heading"), new Heading(4, 2, "SYNOPSIS")], document.Blocks);
    }

    [Theory]
    [InlineData("See [Get-Widget](Get-Widget.md).", "See Get-Widget.")]
    [InlineData("Run `Get-Widget -Name w*` first.", "Run Get-Widget -Name w* first.")]
    [InlineData("A **strong** and __strong__ word.", "A strong and strong word.")]
    [InlineData(@"Names match \*exactly\*; snake_case and w* stay.", "Names match *exactly*; snake_case and w* stay.")]
    public void Plain_InlineFormatting_BecomesConsoleText(string markdown, string expected)
    {
        Assert.Equal(expected, InlineText.Plain(markdown));
    }
}
