namespace CloudGateway.Hosting;

/// <summary>
/// What an operating-system service running CloudGateway.Service looks like: its name, the command that starts the
/// service binary, and the options passed to it.
/// </summary>
public sealed record ServiceDefinition
{
    /// <summary>The service name used when none is given.</summary>
    public const string DefaultName = "cloudgateway";

    /// <summary>The service (and systemd unit) name.</summary>
    public string Name { get; init; } = DefaultName;

    /// <summary>What administrators see as the service's description.</summary>
    public string Description { get; init; } = "CloudGateway relay";

    /// <summary>The program that runs the service, with any leading arguments (for example <c>dotnet CloudGateway.Service.dll</c>).</summary>
    public required ServiceCommand Command { get; init; }

    /// <summary>The configuration database the service opens; made absolute before use.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The gateways the service serves; empty for every enabled gateway of this machine.</summary>
    public IReadOnlyList<string> Gateways { get; init; } = [];

    /// <summary>The handshake timeout passed to the service, or null for its default.</summary>
    public TimeSpan? HandshakeTimeout { get; init; }

    /// <summary>The idle timeout passed to the service, or null for its default.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>The drain timeout passed to the service, or null for its default.</summary>
    public TimeSpan? DrainTimeout { get; init; }

    /// <summary>The account the service runs as (systemd <c>User=</c>), or null for root / LocalSystem.</summary>
    public string? User { get; init; }

    /// <summary>The program and every argument, unquoted: what each service manager's command line is quoted from.</summary>
    public IReadOnlyList<string> CommandWords() => [Command.Program, .. Command.Arguments, .. ServiceArguments()];

    /// <summary>The arguments the service binary is started with, after the command's own.</summary>
    public IReadOnlyList<string> ServiceArguments()
    {
        var arguments = new List<string> { "--database", Path.GetFullPath(DatabasePath) };
        foreach (var gateway in Gateways)
        {
            arguments.Add("--gateway");
            arguments.Add(gateway);
        }

        AddTimeout(arguments, "--handshake-timeout", HandshakeTimeout);
        AddTimeout(arguments, "--idle-timeout", IdleTimeout);
        AddTimeout(arguments, "--drain-timeout", DrainTimeout);
        return arguments;
    }

    /// <summary>Every problem with the definition, empty when it is usable.</summary>
    public IReadOnlyList<ValidationProblem> Validate()
    {
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrEmpty(Name) || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || !char.IsAsciiLetterOrDigit(Name[0]))
        {
            problems.Add(new ValidationProblem("Name", $"'{Name}' is not a valid service name (letters, digits, '-', '_' and '.', starting with a letter or digit)."));
        }

        if (!Path.IsPathFullyQualified(Command.Program))
        {
            problems.Add(new ValidationProblem("ServicePath", $"'{Command.Program}' is not an absolute path."));
        }

        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            problems.Add(new ValidationProblem("DatabasePath", "is empty."));
        }

        if (User is not null && (User.Length == 0 || !User.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '$')))
        {
            problems.Add(new ValidationProblem("User", $"'{User}' is not a valid account name."));
        }

        foreach (var (field, value) in Fields())
        {
            if (value is not null && value.Any(char.IsControl))
            {
                problems.Add(new ValidationProblem(field, "contains a control character (a line break, tab or the like)."));
            }
        }

        AddTimeoutProblem(problems, "HandshakeTimeout", HandshakeTimeout);
        AddTimeoutProblem(problems, "IdleTimeout", IdleTimeout);
        AddTimeoutProblem(problems, "DrainTimeout", DrainTimeout);
        return problems;
    }

    private IEnumerable<(string Field, string? Value)> Fields()
    {
        yield return ("Description", Description);
        yield return ("DatabasePath", DatabasePath);
        yield return ("ServicePath", Command.Program);
        foreach (var argument in Command.Arguments)
        {
            yield return ("ServicePath", argument);
        }

        foreach (var gateway in Gateways)
        {
            yield return ("Gateway", gateway);
        }
    }

    private static void AddTimeout(List<string> arguments, string option, TimeSpan? value)
    {
        if (value is { } timeout)
        {
            arguments.Add(option);
            arguments.Add(timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static void AddTimeoutProblem(List<ValidationProblem> problems, string field, TimeSpan? value)
    {
        if (value is { } timeout && timeout <= TimeSpan.Zero)
        {
            problems.Add(new ValidationProblem(field, $"must be positive, not {timeout}."));
        }
    }
}
