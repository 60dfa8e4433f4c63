using System.Xml.Linq;
using CloudGateway.Build.Help.Pages;

namespace CloudGateway.Build.Help.Maml;

/// <summary>
/// Writes commands' help as the MAML document PowerShell reads for binary cmdlets (&lt;Assembly&gt;.dll-Help.xml):
/// details and synopsis, description, one syntax item per parameter set, every parameter once, inputs, outputs,
/// notes, examples and related links.
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<CommandHelp> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                Msh + "helpItems",
                new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                commands.Select(CommandElement)));
    }

    private static XElement CommandElement(CommandHelp help) =>
        new(
            Command + "command",
            new XElement(
                Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", help.Verb),
                new XElement(Command + "noun", help.Noun),
                Description([help.Synopsis])),
            Description(help.Description),
            new XElement(Command + "syntax", OrderedSets(help).Select(set => SyntaxItem(help, set))),
            new XElement(Command + "parameters", help.Parameters.Select(p => ParameterElement(p, p.Usages[0], inSyntax: false))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
            help.Notes.Count == 0 ? null : new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(ExampleElement)),
            new XElement(Command + "relatedLinks", help.Links.Select(LinkElement)));

    // The default set first, as PowerShell's own syntax shows it.
    private static IEnumerable<SyntaxSet> OrderedSets(CommandHelp help) => help.Syntax.OrderByDescending(s => s.IsDefault);

    private static XElement SyntaxItem(CommandHelp help, SyntaxSet set) =>
        new(
            Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            help.ParametersOf(set).Select(p => ParameterElement(p.Parameter, p.Usage, inSyntax: true)));

    // A switch shows no value in the syntax ([-Force]); everywhere else its type is its value.
    private static XElement ParameterElement(ParameterHelp parameter, ParameterUsage usage, bool inSyntax) =>
        new(
            Command + "parameter",
            new XAttribute("required", Flag(usage.Required)),
            new XAttribute("variableLength", Flag(parameter.Type.EndsWith("[]", StringComparison.Ordinal))),
            new XAttribute("globbing", Flag(parameter.AcceptsWildcards)),
            new XAttribute("pipelineInput", usage.PipelineInput),
            new XAttribute("position", usage.Position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : usage.Position),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description),
            parameter.AcceptedValues.Count == 0
                ? null
                : new XElement(
                    Command + "parameterValueGroup",
                    parameter.AcceptedValues.Select(v => ParameterValue(v, required: false, variableLength: false))),
            inSyntax && parameter.IsSwitch ? null : ParameterValue(parameter.Type, required: !parameter.IsSwitch, variableLength: false),
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", parameter.DefaultValue));

    private static XElement ParameterValue(string value, bool required, bool variableLength) =>
        new(Command + "parameterValue", new XAttribute("required", Flag(required)), new XAttribute("variableLength", Flag(variableLength)), value);

    private static XElement TypeElement(string element, TypeHelp type) =>
        new(
            Command + element,
            new XElement(Dev + "type", new XElement(Maml + "name", type.Name)),
            Description(type.Description));

    private static XElement ExampleElement(ExampleHelp example) =>
        new(
            Command + "example",
            new XElement(Maml + "title", $"--------- {example.Title} ---------"),
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", Paragraphs(example.Remarks)));

    private static XElement LinkElement(RelatedLink link) =>
        new(Maml + "navigationLink", new XElement(Maml + "linkText", link.Text), new XElement(Maml + "uri", link.Uri));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) => paragraphs.Select(p => new XElement(Maml + "para", p));

    private static string Flag(bool value) => value ? "true" : "false";
}
