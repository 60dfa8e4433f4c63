using System.Security.Cryptography;
using CloudGateway.Networking.Appliance;

namespace CloudGateway.Tests.Networking.Appliance;

/// <summary>
/// Four network namespaces with unique names: the appliance, an external host and two replica VMs, wired with
/// veth pairs. Addresses are documentation ranges that never leave the namespaces. Dispose deletes everything,
/// also after a failed test.
/// </summary>
internal sealed class NamespaceLab : IDisposable
{
    public const string ExternalAddress = "203.0.113.2";
    public const string ExternalIPv6Address = "2001:db8:ff::2";
    public const string VmAAddress = "192.0.2.10";
    public const string VmBAddress = "192.0.2.130";

    private readonly ProcessCommandRunner _runner = new();
    private readonly List<string> _namespaces = [];

    public NamespaceLab()
    {
        var id = "cgt" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        Appliance = id + "-app";
        External = id + "-ext";
        VmA = id + "-vma";
        VmB = id + "-vmb";
        StateDirectory = Path.Combine(Path.GetTempPath(), id + "-state");
        try
        {
            foreach (var ns in new[] { Appliance, External, VmA, VmB })
            {
                Run("ip", "netns", "add", ns);
                _namespaces.Add(ns);
                Run("ip", "-n", ns, "link", "set", "lo", "up");
            }

            Run("ip", "-n", Appliance, "link", "add", "ext0", "type", "veth", "peer", "name", "eth0", "netns", External);
            Run("ip", "-n", Appliance, "addr", "add", "203.0.113.1/24", "dev", "ext0");
            Run("ip", "-n", Appliance, "addr", "add", "2001:db8:ff::1/64", "dev", "ext0", "nodad");
            Run("ip", "-n", Appliance, "link", "set", "ext0", "up");
            Run("ip", "-n", External, "addr", "add", ExternalAddress + "/24", "dev", "eth0");
            Run("ip", "-n", External, "addr", "add", ExternalIPv6Address + "/64", "dev", "eth0", "nodad");
            Run("ip", "-n", External, "link", "set", "eth0", "up");
            // The external host can route back to backend's network: only the appliance's firewall keeps backend
            // out. It has no route to web's network, so web only gets answers through source NAT.
            Run("ip", "-n", External, "route", "add", "192.0.2.128/25", "via", "203.0.113.1");
            AddVm(VmA, "vma0", VmAAddress + "/25", "192.0.2.1", "2001:db8:a::10/64", "2001:db8:a::1");
            AddVm(VmB, "vmb0", VmBAddress + "/25", "192.0.2.129", null, null);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Appliance { get; }

    public string External { get; }

    public string VmA { get; }

    public string VmB { get; }

    public string StateDirectory { get; }

    /// <summary>Plugs the VMs' appliance-side veth ends into their networks' bridges (which Start creates).</summary>
    public void PlugVms(string bridgeA, string bridgeB)
    {
        Run("ip", "-n", Appliance, "link", "set", "vma0", "master", bridgeA, "up");
        Run("ip", "-n", Appliance, "link", "set", "vmb0", "master", bridgeB, "up");
    }

    /// <summary>
    /// Whether a ping gets through; tried up to three times, since on a loaded machine the first packet (which
    /// also waits for neighbour discovery) can miss its one-second deadline.
    /// </summary>
    public bool Reaches(string fromNamespace, string address) =>
        Enumerable.Range(0, 3).Any(_ => PingOnce(fromNamespace, address));

    /// <summary>Whether one ping goes unanswered: a blocked path never answers, so one try is enough.</summary>
    public bool IsBlocked(string fromNamespace, string address) => !PingOnce(fromNamespace, address);

    private bool PingOnce(string fromNamespace, string address) =>
        _runner.Run(["ip", "netns", "exec", fromNamespace, "ping", "-c1", "-W1", "-n", "-q", address]).Succeeded;

    public string Run(params string[] arguments)
    {
        var result = _runner.Run(arguments);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"'{string.Join(' ', arguments)}' failed: {result.Error}");
        }

        return result.Output;
    }

    /// <summary>What of the appliance namespace a Start could change: links, addresses, nft rules, forwarding sysctls.</summary>
    public string Snapshot()
    {
        // Only what the appliance owns is compared: link-local addresses and DAD flags come and go by themselves.
        var linkNames = Run("ip", "-n", Appliance, "-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':')[1].Trim().Split('@')[0]);
        var addresses = Run("ip", "-n", Appliance, "-o", "addr", "show", "scope", "global").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(3)));
        var rules = Run("ip", "netns", "exec", Appliance, "nft", "list", "ruleset");
        var sysctls = Run("ip", "netns", "exec", Appliance, "sysctl", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding");
        return string.Join("\n---\n", string.Join(",", linkNames), string.Join("\n", addresses), rules, sysctls);
    }

    public void Dispose()
    {
        foreach (var ns in _namespaces)
        {
            _runner.Run(["ip", "netns", "delete", ns]);
        }

        _namespaces.Clear();
        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }

    private void AddVm(string vm, string applianceSide, string address, string gateway, string? ipv6Address, string? ipv6Gateway)
    {
        Run("ip", "-n", vm, "link", "add", "eth0", "type", "veth", "peer", "name", applianceSide, "netns", Appliance);
        Run("ip", "-n", vm, "addr", "add", address, "dev", "eth0");
        if (ipv6Address is not null)
        {
            Run("ip", "-n", vm, "addr", "add", ipv6Address, "dev", "eth0", "nodad");
        }

        Run("ip", "-n", vm, "link", "set", "eth0", "up");
        Run("ip", "-n", vm, "route", "add", "default", "via", gateway);
        if (ipv6Gateway is not null)
        {
            Run("ip", "-n", vm, "-6", "route", "add", "default", "via", ipv6Gateway);
        }
    }
}
