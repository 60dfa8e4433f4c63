using System.Xml.Linq;
using CloudGateway.Build.Help.Maml;
using CloudGateway.Build.Help.Pages;

namespace CloudGateway.Tests.Build.HelpCompiler;

public class MamlWriterTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static XElement WriteSample()
    {
        var help = CommandPageReader.Read(SamplePages.FileName, SamplePages.Valid).Help!;
        var document = MamlWriter.Write([help]);
        Assert.Equal("http://msh", document.Root!.Name.NamespaceName);
        Assert.Equal(("helpItems", "maml"), (document.Root.Name.LocalName, (string?)document.Root.Attribute("schema")));
        return Assert.Single(document.Root.Elements(Command + "command"));
    }

    [Fact]
    public void Write_Details_NameVerbNounAndSynopsis()
    {
        var details = WriteSample().Element(Command + "details")!;

        Assert.Equal("Set-Widget", details.Element(Command + "name")!.Value);
        Assert.Equal("Set", details.Element(Command + "verb")!.Value);
        Assert.Equal("Widget", details.Element(Command + "noun")!.Value);
        Assert.Equal("Changes widgets.", details.Element(Maml + "description")!.Element(Maml + "para")!.Value);
    }

    [Fact]
    public void Write_Syntax_OneItemPerSetDefaultFirstParametersInTheSyntaxBlocksOrder()
    {
        var items = WriteSample().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();

        Assert.Equal(2, items.Count);
        Assert.All(items, item => Assert.Equal("Set-Widget", item.Element(Maml + "name")!.Value));
        Assert.Equal(["Name", "Color", "PassThru", "WhatIf", "Confirm"], Names(items[0]));
        Assert.Equal(["InputObject", "Name", "Color", "PassThru", "WhatIf", "Confirm"], Names(items[1]));
    }

    [Fact]
    public void Write_SyntaxParameter_CarriesItsSetsUsage()
    {
        var items = WriteSample().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        var nameByName = Parameter(items[0], "Name");
        var nameByObject = Parameter(items[1], "Name");

        Assert.Equal(("true", "0", "True (ByValue, ByPropertyName)", "true", "true"), Attributes(nameByName));
        Assert.Equal(("false", "0", "False", "true", "true"), Attributes(nameByObject));
        Assert.Equal("named", (string?)Parameter(items[1], "InputObject").Attribute("position"));
    }

    [Fact]
    public void Write_Switch_ShowsNoValueInTheSyntaxButItsTypeInTheParameters()
    {
        var command = WriteSample();
        var inSyntax = Parameter(command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").First(), "PassThru");
        var inParameters = Parameter(command.Element(Command + "parameters")!, "PassThru");

        Assert.Null(inSyntax.Element(Command + "parameterValue"));
        Assert.Equal("SwitchParameter", inParameters.Element(Command + "parameterValue")!.Value);
        Assert.Equal("SwitchParameter", inSyntax.Element(Dev + "type")!.Element(Maml + "name")!.Value);
    }

    [Fact]
    public void Write_Parameters_EachOnceWithDescriptionTypeAliasesAcceptedValuesAndDefault()
    {
        var parameters = WriteSample().Element(Command + "parameters")!;
        var color = Parameter(parameters, "Color");

        Assert.Equal(["Color", "InputObject", "Name", "PassThru", "Confirm", "WhatIf"], Names(parameters));
        Assert.Equal("The new color.", color.Element(Maml + "description")!.Element(Maml + "para")!.Value);
        Assert.Equal("Colour", (string?)color.Attribute("aliases"));
        Assert.Equal("none", (string?)Parameter(parameters, "Name").Attribute("aliases"));
        Assert.Equal(["Red", "Blue"], color.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));
        Assert.Equal("None", color.Element(Dev + "defaultValue")!.Value);
        Assert.Equal("Color", color.Element(Command + "parameterValue")!.Value);
    }

    [Fact]
    public void Write_ExamplesTypesNotesAndLinks()
    {
        var command = WriteSample();
        var example = command.Element(Command + "examples")!.Elements(Command + "example").Last();

        Assert.Contains("Example 2: Paint every widget", example.Element(Maml + "title")!.Value, StringComparison.Ordinal);
        Assert.Equal("Get-Widget |\n    Set-Widget -Color Blue -PassThru", example.Element(Dev + "code")!.Value);
        Assert.Equal("Writes each widget as changed.", example.Element(Dev + "remarks")!.Element(Maml + "para")!.Value);
        Assert.Equal("System.String[]", command.Descendants(Command + "inputType").Single().Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("Widgets.Widget", command.Descendants(Command + "returnValue").Single().Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("Changes reach running widgets within a second.", command.Element(Maml + "alertSet")!.Value);
        Assert.Equal(
            [("Get-Widget", ""), ("Online", "https://example.org/widgets")],
            command.Descendants(Maml + "navigationLink").Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value)));
    }

    private static List<string> Names(XElement container) =>
        container.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToList();

    private static XElement Parameter(XElement container, string name) =>
        container.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == name);

    private static (string?, string?, string?, string?, string?) Attributes(XElement parameter) =>
        ((string?)parameter.Attribute("required"), (string?)parameter.Attribute("position"), (string?)parameter.Attribute("pipelineInput"),
         (string?)parameter.Attribute("variableLength"), (string?)parameter.Attribute("globbing"));
}
