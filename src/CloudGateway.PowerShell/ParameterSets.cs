namespace CloudGateway.PowerShell;

/// <summary>The parameter-set names the cmdlets share.</summary>
internal static class ParameterSets
{
    /// <summary>Items named by <c>-Name</c>.</summary>
    public const string ByName = "ByName";

    /// <summary>Items given as engine objects through <c>-InputObject</c>.</summary>
    public const string ByInputObject = "ByInputObject";

    /// <summary>A password given as a SecureString through <c>-Password</c>.</summary>
    public const string ByPassword = "ByPassword";

    /// <summary>A password given inside a PSCredential through <c>-Credential</c>.</summary>
    public const string ByCredential = "ByCredential";
}
