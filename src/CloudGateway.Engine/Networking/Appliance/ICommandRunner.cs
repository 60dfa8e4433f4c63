namespace CloudGateway.Networking.Appliance;

/// <summary>Runs one operating-system command from an argument list (never through a shell).</summary>
internal interface ICommandRunner
{
    /// <summary>Runs <paramref name="arguments"/>[0] with the rest as its arguments, feeding <paramref name="input"/> to its standard input.</summary>
    CommandResult Run(IReadOnlyList<string> arguments, string? input = null);
}

/// <summary>What a command printed and how it ended.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;
}
