using CloudGateway.Build.Help.Pages;

namespace CloudGateway.Tests.Build.HelpCompiler;

public class CommandPageReaderTests
{
    [Fact]
    public void Read_ValidPage_ReadsEverySectionAsConsoleText()
    {
        var (help, problems) = CommandPageReader.Read(SamplePages.FileName, SamplePages.Valid);

        Assert.Empty(problems);
        Assert.NotNull(help);
        Assert.Equal(("Set-Widget", "Set", "Widget", "Widgets.dll-Help.xml"), (help.Name, help.Verb, help.Noun, help.HelpFile));
        Assert.Equal("Changes widgets.", help.Synopsis);
        Assert.Equal(
            ["Changes the given properties of widgets; see Get-Widget and about_Widgets.", "- A widget that does not exist gives NotFound.", "- Names match *exactly*."],
            help.Description);
        Assert.Equal(
            [("ByName", true, "Name,Color,PassThru,WhatIf,Confirm"), ("ByInputObject", false, "InputObject,Name,Color,PassThru,WhatIf,Confirm")],
            help.Syntax.Select(s => (s.Name, s.IsDefault, string.Join(',', s.ParameterOrder))));
        Assert.Equal(["Color", "InputObject", "Name", "PassThru", "Confirm", "WhatIf"], help.Parameters.Select(p => p.Name));
        Assert.Equal(["Changes reach running widgets within a second."], help.Notes);
        Assert.Equal([new RelatedLink("Get-Widget", ""), new RelatedLink("Online", "https://example.org/widgets")], help.Links);
        Assert.Equal("System.String[]", Assert.Single(help.Inputs).Name);
        Assert.Equal(["With -PassThru, each widget as changed."], Assert.Single(help.Outputs).Description);
    }

    [Fact]
    public void Read_Parameters_KeepTheirMetadataAndEachSetsUsage()
    {
        var help = CommandPageReader.Read(SamplePages.FileName, SamplePages.Valid).Help!;
        var color = help.Parameters.Single(p => p.Name == "Color");
        var name = help.Parameters.Single(p => p.Name == "Name");

        Assert.Equal(("Color", "None", false), (color.Type, color.DefaultValue, color.AcceptsWildcards));
        Assert.Equal(["Colour"], color.Aliases);
        Assert.Equal(["Red", "Blue"], color.AcceptedValues);
        Assert.Equal(["The new color."], color.Description);
        Assert.Equal(("ByName", true, "0", "True (ByValue, ByPropertyName)"), Usage(name.UsageIn("ByName")));
        Assert.Equal(("ByInputObject", false, "0", "False"), Usage(name.UsageIn("ByInputObject")));
        Assert.True(name.AcceptsWildcards);
        Assert.Null(help.Parameters.Single(p => p.Name == "InputObject").UsageIn("ByName"));
        Assert.True(help.Parameters.Single(p => p.Name == "PassThru").IsSwitch);
    }

    [Fact]
    public void Read_Examples_KeepTheirTitleCodeAndRemarks()
    {
        var help = CommandPageReader.Read(SamplePages.FileName, SamplePages.Valid).Help!;

        Assert.Equal(2, help.Examples.Count);
        Assert.Equal("Example 2: Paint every widget", help.Examples[1].Title);
        Assert.Equal("Get-Widget |\n    Set-Widget -Color Blue -PassThru", help.Examples[1].Code);
        Assert.Equal(["Writes each widget as changed."], help.Examples[1].Remarks);
    }

    [Fact]
    public void Read_BrokenPage_ReportsEveryProblemWithItsLineAndGivesNoHelp()
    {
        var page = SamplePages.Valid
            .Replace("# Set-Widget", "# Set-Gadget", StringComparison.Ordinal)
            .Replace("Changes **widgets**.", "{{ Fill in the Synopsis }}", StringComparison.Ordinal)
            .Replace("The new color.\n", string.Empty, StringComparison.Ordinal)
            .Replace("```powershell\nSet-Widget -Name w1 -Color Red\n```", "Nothing to run.", StringComparison.Ordinal)
            .Replace("## OUTPUTS", "## MORE", StringComparison.Ordinal)
            .Replace("[-PassThru] [-WhatIf]", "[-PassThru] [-Force] [-WhatIf]", StringComparison.Ordinal)
            .Replace("Parameter Sets: ByInputObject\nAliases:\n\nRequired: True", "Parameter Sets: ByObject\nAliases:\n\nRequired: True", StringComparison.Ordinal);

        var (help, problems) = CommandPageReader.Read(SamplePages.FileName, page);

        Assert.Null(help);
        var messages = problems.Select(p => $"{p.Line}: {p.Message}").ToList();
        Assert.Contains("7: The page's title must be '# Set-Widget', the name of its file.", messages);
        Assert.Contains("10: Placeholder text left in the page: '{{ Fill in the Synopsis }}'.", messages);
        Assert.Contains("7: The page has no '## OUTPUTS' section.", messages);
        Assert.Contains(messages, m => m.EndsWith("-Color has no description.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.EndsWith("'Example 1: Paint a widget' has no code block.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.EndsWith("The syntax of set ByName lists -Force, which PARAMETERS does not describe.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.EndsWith("-InputObject names the parameter set 'ByObject', which SYNTAX does not have.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.EndsWith("The syntax of set ByInputObject lists -InputObject, but PARAMETERS does not put it in that set.", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.Equal(SamplePages.FileName, p.File));
    }

    [Fact]
    public void Read_ParameterMissingFromItsSetsSyntax_IsAProblem()
    {
        var page = SamplePages.Valid.Replace("Set-Widget [-Name] <String[]> [-Color <Color>] [-PassThru]", "Set-Widget [-Name] <String[]> [-PassThru]", StringComparison.Ordinal);

        var problems = CommandPageReader.Read(SamplePages.FileName, page).Problems;

        Assert.Equal("PARAMETERS puts -Color in set ByName, but its syntax does not list it.", Assert.Single(problems).Message);
    }

    [Fact]
    public void Read_ParameterWithoutYaml_IsAProblemNamingWhatIsMissing()
    {
        var page = SamplePages.Valid.Replace("Type: Color\n", string.Empty, StringComparison.Ordinal);

        var problem = Assert.Single(CommandPageReader.Read(SamplePages.FileName, page).Problems);

        Assert.Equal("The yaml block of -Color has no 'Type'.", problem.Message);
        Assert.Equal("Set-Widget.md(52): error HELP001: The yaml block of -Color has no 'Type'.", problem.ToString());
    }

    private static (string Sets, bool Required, string Position, string PipelineInput) Usage(ParameterUsage? usage) =>
        (string.Join(',', usage!.Sets), usage.Required, usage.Position, usage.PipelineInput);
}
