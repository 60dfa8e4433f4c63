namespace CloudGateway.Model;

/// <summary>Normalizes and checks a <see cref="Gateway"/> before it is stored.</summary>
public static class GatewayValidator
{
    /// <summary>The longest server name accepted.</summary>
    public const int MaxServerLength = 255;

    /// <summary>Applies the defaults the model implies: in Direct mode the internal port is the port; a blank listen address means all.</summary>
    public static Gateway Normalize(Gateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return gateway with
        {
            Description = gateway.Description ?? string.Empty,
            ListenAddress = string.IsNullOrWhiteSpace(gateway.ListenAddress) ? null : gateway.ListenAddress,
            InternalPort = gateway.NetworkMode == NetworkMode.Direct ? gateway.Port : gateway.InternalPort,
        };
    }

    /// <summary>Every problem with the gateway; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(Gateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var problems = new List<ValidationProblem>();
        NameRules.Check(gateway.Name, nameof(Gateway.Name), problems);
        if (string.IsNullOrWhiteSpace(gateway.Server))
        {
            problems.Add(new ValidationProblem(nameof(Gateway.Server), "must not be empty."));
        }
        else if (gateway.Server.Length > MaxServerLength)
        {
            problems.Add(new ValidationProblem(nameof(Gateway.Server), $"must be at most {MaxServerLength} characters long."));
        }

        NameRules.CheckDefined(gateway.NetworkMode, nameof(Gateway.NetworkMode), problems);
        NameRules.CheckHost(gateway.Address, nameof(Gateway.Address), problems);
        NameRules.CheckPort(gateway.Port, nameof(Gateway.Port), problems);
        if (gateway.NetworkMode != NetworkMode.Direct)
        {
            NameRules.CheckPort(gateway.InternalPort, nameof(Gateway.InternalPort), problems);
        }

        if (gateway.ListenAddress is not null && !HostAddress.IsIPAddress(gateway.ListenAddress))
        {
            problems.Add(new ValidationProblem(nameof(Gateway.ListenAddress), $"'{gateway.ListenAddress}' is not an IPv4 or IPv6 address; leave it empty to listen on all addresses."));
        }

        if (gateway.NetworkMode == NetworkMode.Direct && gateway.InternalPort != gateway.Port)
        {
            problems.Add(new ValidationProblem(nameof(Gateway.InternalPort), $"must equal Port ({gateway.Port}) in Direct mode; use NetworkMode Nat for a different internal port."));
        }

        return problems;
    }

    /// <summary>Normalizes the gateway and throws one ValidationFailed listing every problem, or returns it ready to store.</summary>
    public static Gateway Check(Gateway gateway)
    {
        var normalized = Normalize(gateway);
        GatewayException.ThrowIfInvalid($"Gateway '{normalized.Name}'", normalized.Name, Validate(normalized));
        return normalized;
    }
}
