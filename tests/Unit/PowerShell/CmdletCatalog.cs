using System.Reflection;
using System.Runtime.InteropServices;

namespace CloudGateway.Tests.PowerShell;

/// <summary>One parameter of a cmdlet as declared by its [Parameter] attributes.</summary>
internal sealed record CmdletParameter(string Name, string TypeName, bool FromPipeline, bool FromPipelineByPropertyName, IReadOnlyList<string> Sets);

/// <summary>One cmdlet as declared in the built assembly's metadata.</summary>
internal sealed record CmdletInfo(
    string ClassName,
    string Verb,
    string Noun,
    bool SupportsShouldProcess,
    string? ConfirmImpact,
    bool IsSealed,
    string? BaseTypeName,
    IReadOnlyList<string> OutputTypes,
    IReadOnlyList<CmdletParameter> Parameters)
{
    public string Name => Verb + "-" + Noun;

    public override string ToString() => Name;
}

/// <summary>
/// Every cmdlet in the built CloudGateway.PowerShell.dll, read with MetadataLoadContext so that neither PowerShell
/// nor the module is loaded: cmdlets other branches add are covered without any list to update.
/// </summary>
internal static class CmdletCatalog
{
    private static readonly Lazy<IReadOnlyList<CmdletInfo>> All = new(Read);

    public static IReadOnlyList<CmdletInfo> Cmdlets => All.Value;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in Cmdlets)
        {
            data.Add(cmdlet.Name);
        }

        return data;
    }

    public static CmdletInfo Get(string name) => Cmdlets.Single(c => c.Name == name);

    private static List<CmdletInfo> Read()
    {
        var assemblyPath = BuildLocations.PowerShellAssembly;
        Assert.True(File.Exists(assemblyPath), $"The cmdlet assembly was not built: {assemblyPath}");
        Assert.True(File.Exists(BuildLocations.PowerShellReference), $"PowerShellStandard's reference assembly is not in the NuGet cache: {BuildLocations.PowerShellReference}");
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(Path.GetDirectoryName(assemblyPath)!, "*.dll"))
            .Append(BuildLocations.PowerShellReference);
        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        var assembly = context.LoadFromAssemblyPath(assemblyPath);
        return assembly.GetTypes()
            .Select(type => (type, cmdlet: Attribute(type.GetCustomAttributesData(), "CmdletAttribute")))
            .Where(x => x.cmdlet is not null)
            .Select(x => Describe(x.type, x.cmdlet!))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static CmdletInfo Describe(Type type, CustomAttributeData cmdlet)
    {
        var outputTypes = type.GetCustomAttributesData()
            .Where(a => a.AttributeType.Name == "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(argument => argument.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => i.Value) : [argument.Value])
            .Select(value => value is Type t ? t.FullName! : value?.ToString() ?? string.Empty)
            .ToList();
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(property => (property, attributes: property.GetCustomAttributesData().Where(a => a.AttributeType.Name == "ParameterAttribute").ToList()))
            .Where(x => x.attributes.Count > 0)
            .Select(x => new CmdletParameter(
                x.property.Name,
                x.property.PropertyType.FullName ?? x.property.PropertyType.Name,
                x.attributes.Any(a => Named(a, "ValueFromPipeline") is true),
                x.attributes.Any(a => Named(a, "ValueFromPipelineByPropertyName") is true),
                x.attributes.Select(a => Named(a, "ParameterSetName") as string ?? "__AllParameterSets").ToList()))
            .ToList();
        return new CmdletInfo(
            type.Name,
            (string)cmdlet.ConstructorArguments[0].Value!,
            (string)cmdlet.ConstructorArguments[1].Value!,
            Named(cmdlet, "SupportsShouldProcess") is true,
            Named(cmdlet, "ConfirmImpact") is int impact ? ConfirmImpactName(impact) : null,
            type.IsSealed,
            type.BaseType?.FullName,
            outputTypes,
            parameters);
    }

    // System.Management.Automation.ConfirmImpact: None = 0, Low = 1, Medium = 2, High = 3.
    private static string ConfirmImpactName(int value) => value switch
    {
        0 => "None",
        1 => "Low",
        2 => "Medium",
        3 => "High",
        _ => value.ToString(),
    };

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.FirstOrDefault(a => a.AttributeType.Name == name);

    private static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();
}
