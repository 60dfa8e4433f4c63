using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Networking;

/// <summary>
/// A default gateway as an administrator types it (every part optional text, as Set-DefaultGateway binds it).
/// <see cref="ApplyTo"/> parses it and lays the given parts over the entry already stored, so that
/// <c>Set-DefaultGateway -SubnetMask 255.255.0.0</c> changes only the mask.
/// </summary>
public sealed record DefaultGatewayInput
{
    /// <summary>The tenant's name.</summary>
    public required string Tenant { get; init; }

    /// <summary>The network's name.</summary>
    public required string Network { get; init; }

    /// <summary>The IPv4 gateway address, or null to keep the stored one.</summary>
    public string? IPAddress { get; init; }

    /// <summary>The IPv4 subnet mask in dotted form, or null to keep the stored one.</summary>
    public string? SubnetMask { get; init; }

    /// <summary>The IPv4 gateway and prefix length in one (<c>192.168.1.1/24</c>), instead of <see cref="IPAddress"/> and <see cref="SubnetMask"/>.</summary>
    public string? IPv4Prefix { get; init; }

    /// <summary>The IPv6 network address, or null to keep the stored one.</summary>
    public string? IPv6Network { get; init; }

    /// <summary>The IPv6 prefix length, or null to keep the stored one.</summary>
    public int? PrefixLength { get; init; }

    /// <summary>The IPv6 gateway address, or null to keep the stored one.</summary>
    public string? IPv6Address { get; init; }

    /// <summary>
    /// The gateway that results from laying this input over <paramref name="existing"/> (null when the entry is
    /// new). Throws a validation error naming each unparsable part; the address rules are checked by the store.
    /// </summary>
    public DefaultGateway ApplyTo(DefaultGateway? existing)
    {
        var problems = new List<ValidationProblem>();
        var address = Parse(problems, "IPAddress", IPAddress);
        var mask = Parse(problems, "SubnetMask", SubnetMask);
        if (!string.IsNullOrWhiteSpace(IPv4Prefix))
        {
            if (address is not null || mask is not null)
            {
                problems.Add(new("IPv4Prefix", "give either -IPv4Prefix or -IPAddress with -SubnetMask, not both."));
            }
            else
            {
                (address, mask) = ParsePrefix(problems, IPv4Prefix);
            }
        }

        var ipv6Network = Parse(problems, "IPv6Network", IPv6Network);
        var ipv6Address = Parse(problems, "IPv6Address", IPv6Address);
        GatewayException.ThrowIfInvalid($"The default gateway of network '{Network}'", Network, problems);
        var baseline = existing ?? new DefaultGateway { Tenant = Tenant, Network = Network };
        return baseline with
        {
            Tenant = Tenant,
            Network = Network,
            IPAddress = address ?? baseline.IPAddress,
            SubnetMask = mask ?? baseline.SubnetMask,
            IPv6Network = ipv6Network ?? baseline.IPv6Network,
            PrefixLength = PrefixLength ?? baseline.PrefixLength,
            IPv6Address = ipv6Address ?? baseline.IPv6Address,
        };
    }

    private static IPAddress? Parse(List<ValidationProblem> problems, string field, string? text)
    {
        // Empty counts as not given: PowerShell binds a null property of a piped object as an empty string.
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // IPAddress.TryParse also takes "10" or "10.1" (old inet_aton forms); a gateway must be written in full.
        var trimmed = text.Trim();
        var fullForm = trimmed.Contains(':', StringComparison.Ordinal) || trimmed.Count(c => c == '.') == 3;
        if (fullForm && System.Net.IPAddress.TryParse(trimmed, out var address))
        {
            return address;
        }

        problems.Add(new(field, $"'{text}' is not an IP address."));
        return null;
    }

    private static (IPAddress? Address, IPAddress? Mask) ParsePrefix(List<ValidationProblem> problems, string text)
    {
        var parts = text.Trim().Split('/');
        if (parts.Length == 2
            && parts[0].Count(c => c == '.') == 3
            && System.Net.IPAddress.TryParse(parts[0], out var address) && address.AddressFamily == AddressFamily.InterNetwork
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix <= 32)
        {
            return (address, IPAddressMath.FromUInt32(IPAddressMath.MaskOfPrefix4(prefix)));
        }

        problems.Add(new("IPv4Prefix", $"'{text}' is not an IPv4 address with a prefix length 0 to 32 (for example 192.168.1.1/24)."));
        return (null, null);
    }
}
