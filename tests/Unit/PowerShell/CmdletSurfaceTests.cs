using System.Text.RegularExpressions;

namespace CloudGateway.Tests.PowerShell;

/// <summary>
/// The PowerShell surface of every cmdlet in the built assembly, checked without PowerShell. Each rule runs once per
/// cmdlet found, so cmdlets other branches add are held to the same rules automatically.
/// </summary>
public class CmdletSurfaceTests
{
    // Get-Verb of PowerShell 7.4, every group.
    private static readonly HashSet<string> ApprovedVerbs = new(StringComparer.Ordinal)
    {
        "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New",
        "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set",
        "Show", "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
        "Connect", "Disconnect", "Read", "Receive", "Send", "Write",
        "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit",
        "Expand", "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore",
        "Save", "Sync", "Unpublish", "Update",
        "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace",
        "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke",
        "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait",
        "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect",
        "Use",
    };

    // The verbs that only read or wait. Every other verb changes something (the store, a file, a service, the
    // session's database) and must support -WhatIf and -Confirm.
    private static readonly HashSet<string> ReadOnlyVerbs = new(StringComparer.Ordinal)
    {
        "Get", "Test", "Wait", "Find", "Search", "Show", "Measure", "Resolve", "Compare", "Watch", "Read",
    };

    private static readonly HashSet<string> HighImpactVerbs = new(StringComparer.Ordinal) { "Remove", "Import" };

    private static readonly Regex SecretName = new("password|passwd|pwd|secret|passphrase|apikey|privatekey", RegexOptions.IgnoreCase);

    // The issue 2 surface; later issues add to the module, never take these away.
    private static readonly string[] FoundationCmdlets =
    [
        "Connect-CloudGatewayDatabase", "Get-CloudGatewayDatabase",
        "Add-CloudGateway", "Get-CloudGateway", "Set-CloudGateway", "Remove-CloudGateway", "Enable-CloudGateway", "Disable-CloudGateway",
        "New-CloudGatewayPool", "Get-CloudGatewayPool", "Set-CloudGatewayPool", "Remove-CloudGatewayPool",
        "New-CloudTenant", "Get-CloudTenant", "Set-CloudTenant", "Remove-CloudTenant", "Enable-CloudTenant", "Disable-CloudTenant", "Unlock-CloudTenant",
        "Add-CloudTenantResource", "Get-CloudTenantResource", "Set-CloudTenantResource", "Remove-CloudTenantResource",
        "Export-CloudGatewayConfiguration", "Import-CloudGatewayConfiguration",
    ];

    public static TheoryData<string> CmdletNames => CmdletCatalog.Names();

    [Fact]
    public void Assembly_FoundationCmdlets_AllExist()
    {
        var found = CmdletCatalog.Cmdlets.Select(c => c.Name).ToHashSet();
        var missing = FoundationCmdlets.Where(name => !found.Contains(name)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_Verb_IsApproved(string name)
    {
        Assert.Contains(CmdletCatalog.Get(name).Verb, ApprovedVerbs);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_Class_IsSealedNamedAfterItAndInItsOwnFile(string name)
    {
        var cmdlet = CmdletCatalog.Get(name);
        Assert.True(cmdlet.IsSealed, $"{cmdlet.ClassName} is not sealed.");
        Assert.Equal(cmdlet.Verb + cmdlet.Noun + "Command", cmdlet.ClassName);
        Assert.Equal("CloudGateway.PowerShell.CloudGatewayCmdlet", cmdlet.BaseTypeName);
        Assert.True(
            File.Exists(Path.Combine(BuildLocations.RepositoryRoot, "src", "CloudGateway.PowerShell", "Commands", cmdlet.ClassName + ".cs")),
            $"{cmdlet.ClassName} is not in src/CloudGateway.PowerShell/Commands/{cmdlet.ClassName}.cs.");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_ChangingVerb_SupportsShouldProcess(string name)
    {
        var cmdlet = CmdletCatalog.Get(name);
        if (ReadOnlyVerbs.Contains(cmdlet.Verb))
        {
            Assert.False(cmdlet.SupportsShouldProcess, $"{name} only reads, so -WhatIf would mean nothing.");
        }
        else
        {
            Assert.True(cmdlet.SupportsShouldProcess, $"{name} changes something but does not support -WhatIf/-Confirm.");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_RemoveOrImport_HasHighConfirmImpact(string name)
    {
        var cmdlet = CmdletCatalog.Get(name);
        if (HighImpactVerbs.Contains(cmdlet.Verb))
        {
            Assert.Equal("High", cmdlet.ConfirmImpact);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_OutputType_IsDeclared(string name)
    {
        Assert.NotEmpty(CmdletCatalog.Get(name).OutputTypes);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_SecretParameters_AreNeverPlainStrings(string name)
    {
        var plain = CmdletCatalog.Get(name).Parameters
            .Where(p => SecretName.IsMatch(p.Name) && p.TypeName is "System.String" or "System.String[]" or "System.Object")
            .Select(p => p.Name);
        Assert.Empty(plain);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_NameAndInputObject_TakePipelineInput(string name)
    {
        foreach (var parameter in CmdletCatalog.Get(name).Parameters)
        {
            if (parameter.Name == "Name" && parameter.TypeName == "System.String[]")
            {
                Assert.True(parameter.FromPipeline && parameter.FromPipelineByPropertyName, $"{name} -Name must take pipeline input by value and by property name.");
            }

            if (parameter.Name == "InputObject")
            {
                Assert.True(parameter.FromPipeline, $"{name} -InputObject must take pipeline input by value.");
            }
        }
    }

    [Fact]
    public void Manifest_CmdletsToExport_EqualsTheCmdletsFound()
    {
        var manifest = File.ReadAllText(Path.Combine(BuildLocations.RepositoryRoot, "CloudGateway.psd1"));
        var exported = ModuleManifest.CmdletsToExport(manifest);
        Assert.DoesNotContain("*", string.Join(",", exported));
        Assert.Equal(CmdletCatalog.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_OutputTypesOfTheModule_HaveATableView(string name)
    {
        var format = File.ReadAllText(Path.Combine(BuildLocations.RepositoryRoot, "CloudGateway.Format.ps1xml"));
        var missing = CmdletCatalog.Get(name).OutputTypes
            .Where(type => type.StartsWith("CloudGateway.", StringComparison.Ordinal))
            .Where(type => !format.Contains($"<TypeName>{type}</TypeName>", StringComparison.Ordinal));
        Assert.Empty(missing);
    }
}
