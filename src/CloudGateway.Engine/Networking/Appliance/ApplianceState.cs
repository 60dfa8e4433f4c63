using System.Text.Json.Serialization;

namespace CloudGateway.Networking.Appliance;

/// <summary>
/// What the appliance applied on one host or network namespace, kept in a state file so that Stop undoes
/// exactly that: the bridges it created, the sysctls it changed (with their previous values) and its nft table.
/// </summary>
public sealed record ApplianceState
{
    /// <summary>The tenant whose networks the appliance carries.</summary>
    public required string Tenant { get; init; }

    /// <summary>The network namespace, or null for the host.</summary>
    public string? Namespace { get; init; }

    /// <summary>The interface towards external networks.</summary>
    public required string ExternalInterface { get; init; }

    /// <summary>Whether traffic is forwarded between the replica networks.</summary>
    public bool RouteBetweenNetworks { get; init; }

    /// <summary>The replica networks as last applied.</summary>
    public IReadOnlyList<ApplianceNetwork> Networks { get; init; } = [];

    /// <summary>The bridges the appliance created; Stop deletes exactly these.</summary>
    public IReadOnlyList<string> CreatedBridges { get; init; } = [];

    /// <summary>Each sysctl the appliance changed, with the value it had before; Stop writes these back.</summary>
    public IReadOnlyDictionary<string, string> ChangedSysctls { get; init; } = new Dictionary<string, string>();

    /// <summary>The nft script last loaded; re-applying an identical script is skipped.</summary>
    public string Ruleset { get; init; } = string.Empty;

    /// <summary>When the appliance was first started.</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>When the configuration was last applied.</summary>
    public DateTimeOffset LastApplied { get; init; }

    /// <summary>
    /// Whether every bridge and the nft table were found when this was read; null when it was not checked (the
    /// state was just written, or the process may not inspect the namespace).
    /// </summary>
    [JsonIgnore]
    public bool? Running { get; init; }
}
