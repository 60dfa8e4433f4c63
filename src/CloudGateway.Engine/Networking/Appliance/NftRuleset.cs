using System.Globalization;
using System.Text;

namespace CloudGateway.Networking.Appliance;

/// <summary>
/// The appliance's firewall, as one nftables table that only the appliance owns.
/// </summary>
/// <remarks>
/// Why nftables rather than iptables or policy routing: the whole ruleset is one table loaded by a single
/// <c>nft -f</c> transaction (all or nothing, so a failure never leaves half a ruleset), re-applying replaces the
/// table atomically, and removal is deleting that table, which cannot touch anybody else's rules. The
/// <c>inet</c> family covers IPv4 and IPv6 with the same rules. Forwarding is accepted by default and only
/// traffic to or from the appliance's bridges is filtered, so rules of other software on the host still apply.
/// </remarks>
internal static class NftRuleset
{
    public const string Family = "inet";
    public const string Table = "cloudgateway_nea";

    /// <summary>The script that creates (or atomically replaces) the table for <paramref name="configuration"/>.</summary>
    public static string Render(ApplianceConfiguration configuration)
    {
        var bridges = configuration.Networks.Select(n => n.BridgeName).ToList();
        var external = Quote(configuration.ExternalInterface);
        var bridgeSet = "{ " + string.Join(", ", bridges.Select(Quote)) + " }";
        var script = new StringBuilder();
        // 'add' then 'delete' makes the replacement work whether or not the table exists yet, in one transaction.
        script.Append(CultureInfo.InvariantCulture, $"add table {Family} {Table}\n");
        script.Append(CultureInfo.InvariantCulture, $"delete table {Family} {Table}\n");
        script.Append(CultureInfo.InvariantCulture, $"table {Family} {Table} {{\n");
        script.Append("\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n");
        script.Append(CultureInfo.InvariantCulture, $"\t\tiifname {bridgeSet} jump from_replicas\n");
        script.Append(CultureInfo.InvariantCulture, $"\t\toifname {bridgeSet} jump to_replicas\n\t}}\n");
        script.Append("\tchain from_replicas {\n\t\tct state established,related accept\n");
        foreach (var network in configuration.Networks)
        {
            var bridge = Quote(network.BridgeName);
            script.Append(CultureInfo.InvariantCulture, $"\t\tiifname {bridge} oifname {bridge} accept\n");
            if (network.InternetAccess)
            {
                script.Append(CultureInfo.InvariantCulture, $"\t\tiifname {bridge} oifname {external} accept\n");
            }

            if (configuration.RouteBetweenNetworks)
            {
                foreach (var other in bridges.Where(b => b != network.BridgeName))
                {
                    script.Append(CultureInfo.InvariantCulture, $"\t\tiifname {bridge} oifname {Quote(other)} accept\n");
                }
            }
        }

        script.Append("\t\tdrop\n\t}\n");
        // Replicas are not reachable from outside: only answers to their own connections come back in.
        script.Append("\tchain to_replicas {\n\t\tct state established,related accept\n\t\tdrop\n\t}\n");
        script.Append("\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        foreach (var network in configuration.Networks.Where(n => n.InternetAccess))
        {
            // Replicas keep their production addresses, which external networks do not route back to the cloud
            // host, so both IPv4 and IPv6 leave with the external interface's address.
            script.Append(CultureInfo.InvariantCulture, $"\t\tiifname {Quote(network.BridgeName)} oifname {external} masquerade\n");
        }

        script.Append("\t}\n}\n");
        return script.ToString();
    }

    private static string Quote(string name) => "\"" + name + "\"";
}
