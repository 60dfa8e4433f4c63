using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using CloudGateway.Networking.Appliance;

namespace CloudGateway.Networking;

/// <summary>
/// Reads this machine's interfaces and default routes and reports each network with its default gateway. On
/// Linux it asks <c>ip -j</c> (addresses and the IPv4 and IPv6 route tables, optionally inside a network
/// namespace); elsewhere it uses <see cref="NetworkInterface"/>.
/// </summary>
public static class ProductionNetworkDetector
{
    /// <summary>Every non-loopback interface with a global address, ordered by interface name.</summary>
    public static IReadOnlyList<ProductionNetwork> Detect() =>
        OperatingSystem.IsLinux() ? Detect(new ProcessCommandRunner(), null) : Combine(FromNetworkInformation());

    internal static IReadOnlyList<ProductionNetwork> Detect(ICommandRunner runner, string? networkNamespace)
    {
        string Run(params string[] command)
        {
            IReadOnlyList<string> full = networkNamespace is null ? command : ["ip", "netns", "exec", networkNamespace, .. command];
            var result = runner.Run(full);
            if (!result.Succeeded)
            {
                throw new GatewayException(GatewayErrorCode.SystemCommandFailed, $"'{string.Join(' ', command)}' failed: {result.Error.Trim()}", string.Join(' ', command));
            }

            return result.Output;
        }

        return Combine(ParseIp(Run("ip", "-j", "addr", "show"), Run("ip", "-j", "-4", "route", "show"), Run("ip", "-j", "-6", "route", "show")));
    }

    /// <summary>The interfaces described by the JSON of <c>ip -j addr</c>, <c>ip -j -4 route</c> and <c>ip -j -6 route</c>.</summary>
    internal static IReadOnlyList<InterfaceFacts> ParseIp(string addresses, string routes4, string routes6)
    {
        var gateways = DefaultGateways(routes4).Concat(DefaultGateways(routes6)).ToList();
        var interfaces = new List<InterfaceFacts>();
        using var document = JsonDocument.Parse(Empty(addresses));
        foreach (var link in document.RootElement.EnumerateArray())
        {
            var name = link.GetProperty("ifname").GetString()!;
            var loopback = link.TryGetProperty("flags", out var flags) && flags.EnumerateArray().Any(f => f.GetString() == "LOOPBACK");
            var unicast = new List<(IPAddress, int)>();
            foreach (var info in link.TryGetProperty("addr_info", out var infos) ? infos.EnumerateArray() : default)
            {
                if (info.TryGetProperty("scope", out var scope) && scope.GetString() == "global"
                    && IPAddress.TryParse(info.GetProperty("local").GetString(), out var address))
                {
                    unicast.Add((address, info.GetProperty("prefixlen").GetInt32()));
                }
            }

            interfaces.Add(new InterfaceFacts(name, loopback, unicast, gateways.Where(g => g.Device == name).Select(g => g.Gateway).ToList()));
        }

        return interfaces;
    }

    /// <summary>One network per interface: for each family, the subnet holding the default gateway (or the first one).</summary>
    internal static IReadOnlyList<ProductionNetwork> Combine(IEnumerable<InterfaceFacts> interfaces)
    {
        var networks = new List<ProductionNetwork>();
        foreach (var facts in interfaces.Where(i => !i.IsLoopback).OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var v4 = Pick(facts, AddressFamily.InterNetwork);
            var v6 = Pick(facts, AddressFamily.InterNetworkV6);
            if (v4.Subnet is null && v6.Subnet is null)
            {
                continue;
            }

            networks.Add(new ProductionNetwork
            {
                Network = facts.Name,
                InterfaceName = facts.Name,
                IPv4Subnet = v4.Subnet?.ToString(),
                IPAddress = v4.Gateway,
                SubnetMask = v4.Gateway is null ? null : IPAddressMath.FromUInt32(IPAddressMath.MaskOfPrefix4(v4.Subnet!.PrefixLength)),
                IPv6Subnet = v6.Subnet?.ToString(),
                IPv6Network = v6.Gateway is null ? null : v6.Subnet!.Network,
                PrefixLength = v6.Gateway is null ? null : v6.Subnet!.PrefixLength,
                IPv6Address = v6.Gateway,
            });
        }

        return networks;
    }

    private static (IPSubnet? Subnet, IPAddress? Gateway) Pick(InterfaceFacts facts, AddressFamily family)
    {
        var subnets = facts.Addresses.Where(a => a.Address.AddressFamily == family && !a.Address.IsIPv6LinkLocal)
            .Select(a => IPSubnet.Containing(a.Address, a.PrefixLength)).ToList();
        foreach (var gateway in facts.Gateways.Where(g => g.AddressFamily == family))
        {
            if (subnets.FirstOrDefault(s => s.Contains(gateway)) is { } holding)
            {
                return (holding, gateway);
            }
        }

        return (subnets.FirstOrDefault(), null);
    }

    private static List<(string Device, IPAddress Gateway)> DefaultGateways(string routes)
    {
        using var document = JsonDocument.Parse(Empty(routes));
        var found = new List<(string Device, IPAddress Gateway)>();
        foreach (var route in document.RootElement.EnumerateArray())
        {
            if (route.TryGetProperty("dst", out var destination) && destination.GetString() == "default"
                && route.TryGetProperty("gateway", out var gateway) && route.TryGetProperty("dev", out var device)
                && IPAddress.TryParse(gateway.GetString(), out var address))
            {
                found.Add((device.GetString()!, address));
            }
        }

        return found;
    }

    private static IEnumerable<InterfaceFacts> FromNetworkInformation() =>
        NetworkInterface.GetAllNetworkInterfaces().Select(nic =>
        {
            var properties = nic.GetIPProperties();
            return new InterfaceFacts(
                nic.Name,
                nic.NetworkInterfaceType == NetworkInterfaceType.Loopback,
                properties.UnicastAddresses.Select(u => (u.Address, u.PrefixLength)).ToList(),
                properties.GatewayAddresses.Select(g => g.Address).ToList());
        });

    private static string Empty(string json) => string.IsNullOrWhiteSpace(json) ? "[]" : json;
}

/// <summary>What one interface reports: its unicast addresses with prefix lengths and its default gateways.</summary>
internal sealed record InterfaceFacts(string Name, bool IsLoopback, IReadOnlyList<(IPAddress Address, int PrefixLength)> Addresses, IReadOnlyList<IPAddress> Gateways);
