using System.Globalization;

namespace CloudGateway.Networking.Appliance;

/// <summary>
/// Everything the appliance applies for one tenant: where (the host or a network namespace), the external
/// interface, the replica networks and whether they reach each other. Built from the store by
/// <see cref="Create"/>, which validates it.
/// </summary>
public sealed record ApplianceConfiguration
{
    /// <summary>The longest Linux interface name.</summary>
    public const int MaxInterfaceNameLength = 15;

    /// <summary>The longest network namespace name accepted (a file name under /run/netns).</summary>
    public const int MaxNamespaceNameLength = 255;

    /// <summary>The tenant whose networks these are.</summary>
    public required string Tenant { get; init; }

    /// <summary>The network namespace acting as the appliance, or null for the host itself.</summary>
    public string? Namespace { get; init; }

    /// <summary>The interface towards external networks (the internet); it must exist already.</summary>
    public required string ExternalInterface { get; init; }

    /// <summary>Whether traffic is forwarded between the replica networks.</summary>
    public bool RouteBetweenNetworks { get; init; }

    /// <summary>The replica networks, one bridge each.</summary>
    public IReadOnlyList<ApplianceNetwork> Networks { get; init; } = [];

    /// <summary>
    /// The configuration for a tenant subscribed to <paramref name="plan"/>: one network per plan network, carrying
    /// the addresses of its default gateway when one is recorded. Throws a validation error naming every problem.
    /// </summary>
    public static ApplianceConfiguration Create(string tenant, string? networkNamespace, string externalInterface, HardwarePlan plan,
        bool routeBetweenNetworks, IEnumerable<DefaultGateway> gateways)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(gateways);
        var problems = new List<ValidationProblem>();
        CheckName(problems, "ExternalInterface", externalInterface, MaxInterfaceNameLength);
        if (networkNamespace is not null)
        {
            CheckName(problems, "Namespace", networkNamespace, MaxNamespaceNameLength);
        }

        var byNetwork = gateways.ToDictionary(g => g.Network, StringComparer.OrdinalIgnoreCase);
        foreach (var gateway in byNetwork.Values)
        {
            problems.AddRange(NetworkExtensionValidator.Validate(gateway));
        }

        if (routeBetweenNetworks)
        {
            problems.AddRange(NetworkExtensionValidator.FindOverlaps([.. byNetwork.Values], "RouteBetweenNetworks"));
        }

        GatewayException.ThrowIfInvalid($"The appliance configuration of tenant '{tenant}'", tenant, problems);
        var networks = plan.Networks
            .Select(n => new ApplianceNetwork(n.Name, n.VlanId, n.InternetAccess, byNetwork.TryGetValue(n.Name, out var g) ? AddressesOf(g) : []))
            .ToList();
        return new ApplianceConfiguration
        {
            Tenant = tenant,
            Namespace = networkNamespace,
            ExternalInterface = externalInterface,
            RouteBetweenNetworks = routeBetweenNetworks,
            Networks = networks,
        };
    }

    private static List<string> AddressesOf(DefaultGateway gateway)
    {
        var addresses = new List<string>();
        if (gateway.IPAddress is not null && gateway.IPv4PrefixLength is { } prefix)
        {
            addresses.Add($"{gateway.IPAddress}/{prefix.ToString(CultureInfo.InvariantCulture)}");
        }

        if (gateway.IPv6Address is not null && gateway.PrefixLength is { } length)
        {
            addresses.Add($"{gateway.IPv6Address}/{length.ToString(CultureInfo.InvariantCulture)}");
        }

        return addresses;
    }

    /// <summary>
    /// Whether <paramref name="name"/> may name an interface or namespace here: names end up in nft scripts and
    /// state file names, so only letters, digits, '.', '_' and '-' are allowed.
    /// </summary>
    internal static bool IsSafeName(string? name, int maxLength) =>
        !string.IsNullOrEmpty(name) && name.Length <= maxLength && name is not ("." or "..")
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static void CheckName(List<ValidationProblem> problems, string field, string? name, int maxLength)
    {
        if (!IsSafeName(name, maxLength))
        {
            problems.Add(new(field, $"'{name}' is not a valid name: use 1 to {maxLength} letters, digits, '.', '_' or '-'."));
        }
    }
}
