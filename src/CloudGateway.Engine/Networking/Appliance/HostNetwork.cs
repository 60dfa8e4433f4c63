using System.Text.Json;

namespace CloudGateway.Networking.Appliance;

/// <summary>
/// The few operations the appliance needs from <c>ip</c>, <c>nft</c> and <c>sysctl</c>, on the host or inside one
/// network namespace (through <c>ip netns exec</c>, which also gives <c>sysctl</c> the namespace's /proc/sys).
/// Every failure becomes <see cref="GatewayErrorCode.SystemCommandFailed"/> carrying the command's stderr.
/// </summary>
internal sealed class HostNetwork(ICommandRunner runner, string? networkNamespace)
{
    public string? Namespace => networkNamespace;

    public bool NamespaceExists()
    {
        if (networkNamespace is null)
        {
            return true;
        }

        var result = runner.Run(["ip", "-j", "netns", "list"]);
        Check(result, ["ip", "netns", "list"]);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(result.Output) ? "[]" : result.Output);
        return document.RootElement.EnumerateArray().Any(n => n.GetProperty("name").GetString() == networkNamespace);
    }

    public bool LinkExists(string name) => Exec(["ip", "-j", "link", "show", "dev", name], allowFailure: true).Succeeded;

    public bool IsUp(string name)
    {
        var result = Exec(["ip", "-j", "link", "show", "dev", name]);
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.EnumerateArray().Any(link =>
            link.TryGetProperty("flags", out var flags) && flags.EnumerateArray().Any(f => f.GetString() == "UP"));
    }

    /// <summary>The link's global addresses as <c>address/prefix</c>, in the kernel's text form.</summary>
    public IReadOnlyList<string> GlobalAddresses(string name)
    {
        var result = Exec(["ip", "-j", "addr", "show", "dev", name]);
        using var document = JsonDocument.Parse(result.Output);
        var addresses = new List<string>();
        foreach (var link in document.RootElement.EnumerateArray())
        {
            foreach (var info in link.GetProperty("addr_info").EnumerateArray())
            {
                if (info.TryGetProperty("scope", out var scope) && scope.GetString() == "global")
                {
                    addresses.Add($"{info.GetProperty("local").GetString()}/{info.GetProperty("prefixlen").GetInt32()}");
                }
            }
        }

        return addresses;
    }

    public void AddBridge(string name) => Exec(["ip", "link", "add", "name", name, "type", "bridge"]);

    public void DeleteLink(string name) => Exec(["ip", "link", "delete", "dev", name]);

    public void SetUp(string name) => Exec(["ip", "link", "set", "dev", name, "up"]);

    // IPv6 gateway addresses skip duplicate address detection: the appliance replaces the production gateway,
    // and a tentative address would leave replicas without a gateway for the first seconds after failover.
    public void AddAddress(string link, string address) =>
        Exec(address.Contains(':', StringComparison.Ordinal)
            ? ["ip", "addr", "add", address, "dev", link, "nodad"]
            : ["ip", "addr", "add", address, "dev", link]);

    public void DeleteAddress(string link, string address) => Exec(["ip", "addr", "del", address, "dev", link]);

    public string ReadSysctl(string key) => Exec(["sysctl", "-n", key]).Output.Trim();

    public void WriteSysctl(string key, string value) => Exec(["sysctl", "-q", "-w", $"{key}={value}"]);

    public bool NftTableExists(string family, string table) =>
        Exec(["nft", "list", "table", family, table], allowFailure: true).Succeeded;

    /// <summary>Loads a whole nft script in one transaction: either all of it applies or none.</summary>
    public void ApplyNft(string script) => Exec(["nft", "-f", "-"], input: script);

    public void DeleteNftTable(string family, string table) => Exec(["nft", "delete", "table", family, table]);

    private CommandResult Exec(IReadOnlyList<string> command, bool allowFailure = false, string? input = null)
    {
        IReadOnlyList<string> full = networkNamespace is null ? command : ["ip", "netns", "exec", networkNamespace, .. command];
        var result = runner.Run(full, input);
        if (!allowFailure)
        {
            Check(result, command);
        }

        return result;
    }

    private void Check(CommandResult result, IReadOnlyList<string> command)
    {
        if (result.Succeeded)
        {
            return;
        }

        var where = networkNamespace is null ? "on the host" : $"in network namespace '{networkNamespace}'";
        var detail = string.IsNullOrWhiteSpace(result.Error) ? $"exit code {result.ExitCode}" : result.Error.Trim();
        throw new GatewayException(GatewayErrorCode.SystemCommandFailed,
            $"'{string.Join(' ', command)}' failed {where}: {detail}", string.Join(' ', command));
    }
}
