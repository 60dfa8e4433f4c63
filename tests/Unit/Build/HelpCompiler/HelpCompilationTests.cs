using System.Xml.Linq;
using CloudGateway.Build.Help;
using CloudGateway.Tests.PowerShell;

namespace CloudGateway.Tests.Build.HelpCompiler;

public class HelpCompilationTests
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";

    [Fact]
    public void Compile_RepositoryPages_WritesOneHelpFileWithEveryPagesCommand()
    {
        using var temp = new TempFolder();
        var pages = Path.Combine(BuildLocations.RepositoryRoot, "docs", "cmdlets");

        var result = HelpCompilation.Compile(pages, temp.Path);

        Assert.Empty(result.Problems);
        var file = Assert.Single(result.Written);
        Assert.Equal(Path.Combine(temp.Path, "CloudGateway.PowerShell.dll-Help.xml"), file);
        var names = XDocument.Load(file).Root!.Elements(Command + "command").Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value);
        Assert.Equal(Directory.GetFiles(pages, "*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void Compile_OneBrokenPage_WritesNothingAndReportsEveryPagesProblems()
    {
        using var temp = new TempFolder();
        var pages = Directory.CreateDirectory(Path.Combine(temp.Path, "pages")).FullName;
        var output = Path.Combine(temp.Path, "en-US");
        File.WriteAllText(Path.Combine(pages, SamplePages.FileName), SamplePages.Valid);
        File.WriteAllText(Path.Combine(pages, "Get-Widget.md"), SamplePages.Valid.Replace("Set-Widget", "Get-Widget", StringComparison.Ordinal).Replace("Changes **widgets**.", "{{ Fill in the Synopsis }}", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(pages, "Remove-Widget.md"), "# Remove-Widget\n");

        var result = HelpCompilation.Compile(pages, output);

        Assert.Empty(result.Written);
        Assert.False(Directory.Exists(output));
        Assert.Contains(result.Problems, p => p.File.EndsWith("Get-Widget.md", StringComparison.Ordinal) && p.Message.StartsWith("Placeholder text", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.File.EndsWith("Remove-Widget.md", StringComparison.Ordinal) && p.Message == "The page has no '## SYNOPSIS' section.");
        Assert.DoesNotContain(result.Problems, p => p.File.EndsWith(SamplePages.FileName, StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_NoPages_IsAProblem()
    {
        using var temp = new TempFolder();

        var result = HelpCompilation.Compile(temp.Path, Path.Combine(temp.Path, "en-US"));

        Assert.Equal("The folder holds no help page (*.md).", Assert.Single(result.Problems).Message);
    }
}
