namespace CloudGateway.Build.Help;

/// <summary>Something wrong with a page, at a line of it.</summary>
internal sealed record HelpProblem(string File, int Line, string Message)
{
    /// <summary>MSBuild's canonical error format, so the Exec that runs the compiler reports each problem as an error.</summary>
    public override string ToString() => $"{File}({Line}): error HELP001: {Message}";
}
