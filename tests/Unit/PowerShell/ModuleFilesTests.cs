using System.Xml.Linq;
using CloudGateway.Storage;

namespace CloudGateway.Tests.PowerShell;

/// <summary>The manifest and the format file at the repository root, as PowerShell will read them.</summary>
public class ModuleFilesTests
{
    private static string Root(string file) => Path.Combine(BuildLocations.RepositoryRoot, file);

    [Fact]
    public void Manifest_Entries_LoadTheCmdletAssemblyOnPowerShellCoreSevenFour()
    {
        var manifest = File.ReadAllText(Root("CloudGateway.psd1"));
        Assert.Contains("RootModule           = 'CloudGateway.PowerShell.dll'", manifest);
        Assert.Contains("CompatiblePSEditions = @('Core')", manifest);
        Assert.Contains("PowerShellVersion    = '7.4'", manifest);
        Assert.Contains("FormatsToProcess     = @('CloudGateway.Format.ps1xml')", manifest);
        Assert.Equal("{{ModuleVersion}}", ModuleManifest.ModuleVersion(manifest));
        Assert.DoesNotContain("'*'", manifest);
    }

    [Fact]
    public void FormatFile_EveryView_NamesAnEngineTypeAndItsProperties()
    {
        var views = XDocument.Load(Root("CloudGateway.Format.ps1xml")).Descendants("View").ToList();
        Assert.NotEmpty(views);
        foreach (var view in views)
        {
            var typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value;
            var type = typeof(ConfigurationDatabase).Assembly.GetType(typeName);
            Assert.True(type is not null, $"The format file has a view for {typeName}, which the engine does not define.");
            var headers = view.Descendants("TableColumnHeader").Count();
            var items = view.Descendants("TableColumnItem").ToList();
            Assert.Equal(headers, items.Count);
            foreach (var property in items.Select(item => item.Element("PropertyName")?.Value).OfType<string>())
            {
                Assert.True(type!.GetProperty(property) is not null, $"{typeName} has no property {property}.");
            }
        }
    }
}
