using System.Globalization;

namespace CloudGateway.Networking;

/// <summary>
/// Builds a plan's network list from the way administrators type it: <c>-Network prod,web -IsolatedNetwork
/// backend</c>, each entry a name or <c>name:vlan</c>. Networks without a VLAN id keep the id they already had
/// in the plan, or get the lowest free id from 2 up (VLAN 1 is the default VLAN of most switches).
/// </summary>
public static class HardwarePlanNetworks
{
    /// <summary>The first VLAN id handed out automatically.</summary>
    public const int FirstAssignedVlanId = 2;

    /// <summary>
    /// The networks for the given entries, internet-access ones first; <paramref name="existing"/> supplies VLAN
    /// ids to keep. Throws a validation <see cref="GatewayException"/> listing every malformed entry and every
    /// plan rule broken.
    /// </summary>
    public static IReadOnlyList<PlanNetwork> Build(IEnumerable<string>? internetNetworks, IEnumerable<string>? isolatedNetworks, IReadOnlyList<PlanNetwork>? existing = null)
    {
        var problems = new List<ValidationProblem>();
        var entries = new List<(string Name, bool Internet, int? Vlan)>();
        foreach (var text in internetNetworks ?? [])
        {
            entries.Add(Parse(text, true, problems));
        }

        foreach (var text in isolatedNetworks ?? [])
        {
            entries.Add(Parse(text, false, problems));
        }

        var used = new HashSet<int>(entries.Where(e => e.Vlan is not null).Select(e => e.Vlan!.Value));
        var kept = new List<(string Name, bool Internet, int? Vlan)>();
        foreach (var entry in entries)
        {
            var previous = existing?.FirstOrDefault(n => string.Equals(n.Name, entry.Name, StringComparison.OrdinalIgnoreCase));
            kept.Add(entry.Vlan is null && previous is not null && used.Add(previous.VlanId) ? entry with { Vlan = previous.VlanId } : entry);
        }

        var next = FirstAssignedVlanId;
        var networks = new List<PlanNetwork>();
        foreach (var entry in kept)
        {
            var vlan = entry.Vlan;
            if (vlan is null)
            {
                while (used.Contains(next))
                {
                    next++;
                }

                vlan = next;
                used.Add(next);
            }

            networks.Add(new PlanNetwork(entry.Name, entry.Internet, vlan.Value));
        }

        GatewayException.ThrowIfInvalid("The hardware plan's networks", null, problems);
        return networks;
    }

    private static (string Name, bool Internet, int? Vlan) Parse(string? text, bool internet, List<ValidationProblem> problems)
    {
        var field = internet ? "Network" : "IsolatedNetwork";
        text ??= string.Empty;
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return (text, internet, null);
        }

        var name = text[..colon];
        var vlanText = text[(colon + 1)..];
        if (!int.TryParse(vlanText, NumberStyles.None, CultureInfo.InvariantCulture, out var vlan))
        {
            problems.Add(new(field, $"'{text}' is not 'name' or 'name:vlan': '{vlanText}' is not a VLAN id."));
            return (name, internet, null);
        }

        return (name, internet, vlan);
    }
}
