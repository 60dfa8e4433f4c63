namespace CloudGateway.Model;

/// <summary>The rules every name (gateway, pool, tenant, resource) follows, and the checks for host names and ports.</summary>
public static class NameRules
{
    /// <summary>The longest name any object may have.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Characters no name may contain.</summary>
    public const string ForbiddenCharacters = "\\/:*?\"<>|=;,";

    /// <summary>Adds a problem for <paramref name="field"/> when <paramref name="name"/> breaks a naming rule.</summary>
    public static void Check(string? name, string field, List<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(new ValidationProblem(field, "must not be empty."));
            return;
        }

        if (name.Length > MaxNameLength)
        {
            problems.Add(new ValidationProblem(field, $"must be at most {MaxNameLength} characters long; it has {name.Length}."));
        }

        var forbidden = name.Where(c => ForbiddenCharacters.Contains(c, StringComparison.Ordinal)).Distinct().ToArray();
        if (forbidden.Length > 0)
        {
            problems.Add(new ValidationProblem(field, $"must not contain {string.Join(" ", forbidden)} (none of {string.Join(" ", ForbiddenCharacters.ToCharArray())} is allowed)."));
        }

        if (name.Any(char.IsControl))
        {
            problems.Add(new ValidationProblem(field, "must not contain control characters."));
        }

        if (LookalikeNames.FindInvisible(name) is { } invisible)
        {
            problems.Add(new ValidationProblem(field, $"must not contain invisible characters such as U+{invisible.Value:X4} (zero-width, direction marks, variation selectors, tags), which make one name look like another."));
        }

        if (name.EndsWith('.'))
        {
            problems.Add(new ValidationProblem(field, "must not end with '.'."));
        }

        if (name.Trim().Length != name.Length)
        {
            problems.Add(new ValidationProblem(field, "must not begin or end with white space."));
        }
    }

    /// <summary>Adds a problem when <paramref name="port"/> is outside 1-65535.</summary>
    public static void CheckPort(int port, string field, List<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (port is < 1 or > 65535)
        {
            problems.Add(new ValidationProblem(field, $"must be between 1 and 65535; it is {port}."));
        }
    }

    /// <summary>Adds a problem when <paramref name="value"/> is negative.</summary>
    public static void CheckNotNegative(long value, string field, List<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (value < 0)
        {
            problems.Add(new ValidationProblem(field, $"must be 0 (no limit) or more; it is {value}."));
        }
    }

    /// <summary>Adds a problem when <paramref name="host"/> is neither a DNS name nor an IPv4 or IPv6 address.</summary>
    public static void CheckHost(string? host, string field, List<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrWhiteSpace(host))
        {
            problems.Add(new ValidationProblem(field, "must not be empty; give a DNS name or an IP address."));
        }
        else if (!HostAddress.IsDnsName(host) && !HostAddress.IsIPAddress(host))
        {
            problems.Add(new ValidationProblem(field, $"'{host}' is neither a DNS name nor an IPv4 or IPv6 address."));
        }
    }

    /// <summary>Adds a problem when an enum value is not one of its defined names.</summary>
    public static void CheckDefined<TEnum>(TEnum value, string field, List<ValidationProblem> problems)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!Enum.IsDefined(value))
        {
            problems.Add(new ValidationProblem(field, $"must be one of {string.Join(", ", Enum.GetNames<TEnum>())}."));
        }
    }

    /// <summary>Adds problems for an ordered list of names: each must be a valid name, and none may repeat.</summary>
    public static void CheckNameList(IReadOnlyList<string>? names, string field, List<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (names is null)
        {
            return;
        }

        foreach (var name in names)
        {
            Check(name, field, problems);
        }

        var repeated = names.Where(n => n is not null).GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0)
        {
            problems.Add(new ValidationProblem(field, $"lists {string.Join(", ", repeated)} more than once."));
        }
    }
}
