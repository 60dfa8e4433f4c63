using System.Text.RegularExpressions;

namespace CloudGateway.Tests.PowerShell;

/// <summary>Reads the few manifest entries the tests check from the text of a .psd1 file.</summary>
internal static partial class ModuleManifest
{
    public static IReadOnlyList<string> CmdletsToExport(string manifest)
    {
        var block = CmdletsBlock().Match(manifest);
        Assert.True(block.Success, "CloudGateway.psd1 has no CmdletsToExport = @( ... ) list.");
        return QuotedName().Matches(block.Groups["list"].Value).Select(m => m.Groups["name"].Value).ToList();
    }

    public static string ModuleVersion(string manifest)
    {
        var match = VersionEntry().Match(manifest);
        Assert.True(match.Success, "The manifest has no ModuleVersion.");
        return match.Groups["version"].Value;
    }

    [GeneratedRegex(@"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex CmdletsBlock();

    [GeneratedRegex(@"'(?<name>[^']+)'")]
    private static partial Regex QuotedName();

    [GeneratedRegex(@"ModuleVersion\s*=\s*'(?<version>[^']*)'")]
    private static partial Regex VersionEntry();
}
