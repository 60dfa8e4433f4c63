namespace CloudGateway.Hosting;

/// <summary>A registered CloudGateway service: where it was written and how it starts.</summary>
public sealed record ServiceRegistration
{
    /// <summary>The service name.</summary>
    public required string Name { get; init; }

    /// <summary>The service manager: <c>systemd</c> or <c>Windows</c>.</summary>
    public required string ServiceManager { get; init; }

    /// <summary>The unit file on Linux; the service's registry entry name on Windows.</summary>
    public required string Location { get; init; }

    /// <summary>The command line the service manager runs.</summary>
    public required string CommandLine { get; init; }

    /// <summary>Whether the service was enabled and started (false with -NoStart or without a service manager).</summary>
    public required bool Started { get; init; }
}
