using System.Net;

namespace CloudGateway.Networking.Appliance;

/// <summary>
/// Turns a Linux host, or a network namespace on it, into a tenant's network extension appliance: one bridge
/// per replica network holding its default gateway addresses, forwarding and source NAT towards the external
/// interface, and forwarding between replica networks only when allowed. Applying is idempotent, a failure
/// part-way rolls back what that call changed, and <see cref="Stop"/> undoes exactly what was applied.
/// </summary>
public sealed class NetworkExtensionAppliance
{
    /// <summary>Where state files live by default; /run is emptied at boot, as the kernel state it describes is.</summary>
    public const string DefaultStateDirectory = "/run/cloudgateway/appliance";

    private const string IPv4Forwarding = "net.ipv4.ip_forward";
    private const string IPv6Forwarding = "net.ipv6.conf.all.forwarding";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    private readonly ICommandRunner _runner;
    private readonly ApplianceStateStore _states;
    private readonly TimeProvider _time;
    private readonly bool _checkPrivileges;

    /// <summary>An appliance that keeps its state files in <paramref name="stateDirectory"/> (default <see cref="DefaultStateDirectory"/>).</summary>
    public NetworkExtensionAppliance(string? stateDirectory = null, TimeProvider? timeProvider = null)
        : this(new ProcessCommandRunner(), stateDirectory, timeProvider, checkPrivileges: true)
    {
    }

    internal NetworkExtensionAppliance(ICommandRunner runner, string? stateDirectory, TimeProvider? timeProvider, bool checkPrivileges)
    {
        _runner = runner;
        _states = new ApplianceStateStore(stateDirectory ?? DefaultStateDirectory);
        _time = timeProvider ?? TimeProvider.System;
        _checkPrivileges = checkPrivileges;
    }

    /// <summary>
    /// Starts the appliance for <paramref name="tenant"/> from its stored plan, default gateways and routing
    /// option, or brings a running one up to date. Each step (a bridge per network, forwarding, the firewall table,
    /// the state file) is reported to <paramref name="progress"/> before it runs.
    /// </summary>
    public ApplianceState Start(INetworkExtensionStore store, string tenant, string? networkNamespace, string externalInterface, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var configuration = store.GetConfiguration(tenant);
        if (configuration.HardwarePlan is null)
        {
            throw new GatewayException(GatewayErrorCode.NotFound,
                $"Tenant '{tenant}' subscribes to no hardware plan; give it one with Set-DefaultGatewayConfiguration -HardwarePlan.", tenant);
        }

        var plan = store.GetHardwarePlan(configuration.HardwarePlan);
        return Apply(ApplianceConfiguration.Create(configuration.Tenant, networkNamespace, externalInterface, plan,
            configuration.RouteBetweenNetworks, store.GetDefaultGateways(tenant)), progress);
    }

    /// <summary>
    /// Applies <paramref name="configuration"/>; a second call with the same configuration changes nothing. Each step
    /// is reported to <paramref name="progress"/> before it runs.
    /// </summary>
    public ApplianceState Apply(ApplianceConfiguration configuration, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        EnsureSupported();
        using var held = _states.Lock(configuration.Namespace, LockTimeout);
        var host = new HostNetwork(_runner, configuration.Namespace);
        EnsureTargetExists(host, configuration);
        var previous = _states.Load(configuration.Namespace);
        if (previous is not null && !string.Equals(previous.Tenant, configuration.Tenant, StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayException(GatewayErrorCode.ApplianceInUse,
                $"The appliance of tenant '{previous.Tenant}' already runs {Where(configuration.Namespace)}; stop it first.", configuration.Namespace);
        }

        var created = new List<string>(previous?.CreatedBridges ?? []);
        var sysctls = new Dictionary<string, string>(previous?.ChangedSysctls ?? new Dictionary<string, string>());
        var journal = new UndoJournal();
        var now = _time.GetUtcNow();
        var wantsIPv6 = configuration.Networks.Any(n => n.Addresses.Any(a => a.Contains(':', StringComparison.Ordinal)));
        var steps = new StepProgress(progress, configuration.Networks.Count + (wantsIPv6 ? 4 : 3));
        ApplianceState state;
        try
        {
            foreach (var network in configuration.Networks)
            {
                steps.Next($"bridge {network.BridgeName} for network '{network.Name}'");
                ApplyBridge(host, network, created, journal);
            }

            steps.Next($"forwarding ({IPv4Forwarding})");
            ApplySysctl(host, IPv4Forwarding, sysctls, journal);
            if (wantsIPv6)
            {
                steps.Next($"forwarding ({IPv6Forwarding})");
                ApplySysctl(host, IPv6Forwarding, sysctls, journal);
            }

            steps.Next($"nftables table {NftRuleset.Family} {NftRuleset.Table}");
            var ruleset = NftRuleset.Render(configuration);
            ApplyRuleset(host, ruleset, previous, journal);
            steps.Next("state file");
            state = new ApplianceState
            {
                Tenant = configuration.Tenant,
                Namespace = configuration.Namespace,
                ExternalInterface = configuration.ExternalInterface,
                RouteBetweenNetworks = configuration.RouteBetweenNetworks,
                Networks = configuration.Networks,
                CreatedBridges = created,
                ChangedSysctls = sysctls,
                Ruleset = ruleset,
                Started = previous?.Started ?? now,
                LastApplied = now,
            };
            _states.Save(state);
            journal.Commit();
        }
        catch (Exception ex) when (ex is GatewayException or IOException or UnauthorizedAccessException)
        {
            var failures = journal.Rollback();
            if (failures.Count == 0)
            {
                throw;
            }

            var code = ex is GatewayException gateway ? gateway.Code : GatewayErrorCode.SystemCommandFailed;
            throw new GatewayException(code, $"{ex.Message} Rolling back also failed: {string.Join("; ", failures)}", configuration.Namespace, ex);
        }

        return RemoveObsoleteBridges(host, state, configuration);
    }

    /// <summary>
    /// Undoes everything the appliance applied on the host (<paramref name="networkNamespace"/> null) or in the
    /// namespace: its nft table, the bridges it created and the sysctls it changed. Returns what was removed. Each
    /// step is reported to <paramref name="progress"/> before it runs.
    /// </summary>
    public ApplianceState Stop(string? networkNamespace, IProgress<WorkProgress>? progress = null)
    {
        EnsureSupported();
        using var held = _states.Lock(networkNamespace, LockTimeout);
        var state = _states.Load(networkNamespace)
            ?? throw new GatewayException(GatewayErrorCode.NotFound, $"No appliance runs {Where(networkNamespace)}.", networkNamespace);
        var host = new HostNetwork(_runner, networkNamespace);
        var failures = new List<string>();
        if (host.NamespaceExists())
        {
            var steps = new StepProgress(progress, 1 + state.CreatedBridges.Count + state.ChangedSysctls.Count);
            steps.Next($"nftables table {NftRuleset.Family} {NftRuleset.Table}");
            Attempt(failures, () =>
            {
                if (host.NftTableExists(NftRuleset.Family, NftRuleset.Table))
                {
                    host.DeleteNftTable(NftRuleset.Family, NftRuleset.Table);
                }
            });
            foreach (var bridge in state.CreatedBridges)
            {
                steps.Next($"bridge {bridge}");
                Attempt(failures, () =>
                {
                    if (host.LinkExists(bridge))
                    {
                        host.DeleteLink(bridge);
                    }
                });
            }

            foreach (var (key, value) in state.ChangedSysctls)
            {
                steps.Next($"{key} back to {value}");
                Attempt(failures, () => host.WriteSysctl(key, value));
            }
        }

        if (failures.Count > 0)
        {
            // The state file stays, so Stop can be run again once the cause is fixed.
            throw new GatewayException(GatewayErrorCode.SystemCommandFailed,
                $"The appliance {Where(networkNamespace)} was not fully stopped: {string.Join("; ", failures)}", networkNamespace);
        }

        _states.Delete(networkNamespace);
        return state;
    }

    /// <summary>
    /// The appliances started through this state folder, or only the one of <paramref name="networkNamespace"/>
    /// when <paramref name="onlyThis"/> is set (NotFound when it runs none); each checked against the live system.
    /// </summary>
    public IReadOnlyList<ApplianceState> Get(string? networkNamespace = null, bool onlyThis = false)
    {
        IReadOnlyList<ApplianceState> states = onlyThis
            ? [_states.Load(networkNamespace) ?? throw new GatewayException(GatewayErrorCode.NotFound, $"No appliance runs {Where(networkNamespace)}.", networkNamespace)]
            : _states.LoadAll();
        return states.Select(s => s with { Running = IsRunning(s) }).ToList();
    }

    private bool? IsRunning(ApplianceState state)
    {
        if (!OperatingSystem.IsLinux() || (_checkPrivileges && !Environment.IsPrivilegedProcess))
        {
            return null;
        }

        var host = new HostNetwork(_runner, state.Namespace);
        return host.NamespaceExists()
            && state.Networks.All(n => host.LinkExists(n.BridgeName))
            && host.NftTableExists(NftRuleset.Family, NftRuleset.Table);
    }

    private static void ApplyBridge(HostNetwork host, ApplianceNetwork network, List<string> created, UndoJournal journal)
    {
        var bridge = network.BridgeName;
        if (!host.LinkExists(bridge))
        {
            host.AddBridge(bridge);
            created.Add(bridge);
            journal.Add($"delete bridge {bridge}", () =>
            {
                host.DeleteLink(bridge);
                created.Remove(bridge);
            });
        }
        else if (!created.Contains(bridge, StringComparer.Ordinal))
        {
            throw new GatewayException(GatewayErrorCode.ApplianceInUse,
                $"An interface '{bridge}' that the appliance did not create already exists {Where(host.Namespace)}; remove it or use another namespace.", bridge);
        }

        if (!host.IsUp(bridge))
        {
            host.SetUp(bridge);
        }

        var present = host.GlobalAddresses(bridge).Select(Canonical).ToList();
        var wanted = network.Addresses.Select(Canonical).ToList();
        // The bridge is the appliance's own, so an address it should no longer hold is an earlier gateway.
        // Removed before adding: deleting a primary IPv4 address also deletes the secondaries of its subnet.
        foreach (var address in present.Except(wanted))
        {
            host.DeleteAddress(bridge, address);
            journal.Add($"put {address} back on {bridge}", () => host.AddAddress(bridge, address));
        }

        foreach (var address in wanted.Except(present))
        {
            host.AddAddress(bridge, address);
            journal.Add($"remove {address} from {bridge}", () => host.DeleteAddress(bridge, address));
        }
    }

    private static void ApplySysctl(HostNetwork host, string key, Dictionary<string, string> changed, UndoJournal journal)
    {
        var current = host.ReadSysctl(key);
        if (current == "1")
        {
            return;
        }

        var hadRecord = changed.ContainsKey(key);
        changed.TryAdd(key, current);
        host.WriteSysctl(key, "1");
        journal.Add($"set {key} back to {current}", () =>
        {
            host.WriteSysctl(key, current);
            if (!hadRecord)
            {
                changed.Remove(key);
            }
        });
    }

    private static void ApplyRuleset(HostNetwork host, string ruleset, ApplianceState? previous, UndoJournal journal)
    {
        var exists = host.NftTableExists(NftRuleset.Family, NftRuleset.Table);
        if (exists && previous?.Ruleset == ruleset)
        {
            return;
        }

        host.ApplyNft(ruleset);
        if (exists && !string.IsNullOrEmpty(previous?.Ruleset))
        {
            journal.Add("reload the previous nft table", () => host.ApplyNft(previous.Ruleset));
        }
        else
        {
            journal.Add("delete the nft table", () => host.DeleteNftTable(NftRuleset.Family, NftRuleset.Table));
        }
    }

    // Runs after the new state is saved: a failure here leaves a state file that still lists the bridges left.
    private ApplianceState RemoveObsoleteBridges(HostNetwork host, ApplianceState state, ApplianceConfiguration configuration)
    {
        var wanted = configuration.Networks.Select(n => n.BridgeName).ToHashSet(StringComparer.Ordinal);
        foreach (var bridge in state.CreatedBridges.Where(b => !wanted.Contains(b)).ToList())
        {
            if (host.LinkExists(bridge))
            {
                host.DeleteLink(bridge);
            }

            state = state with { CreatedBridges = state.CreatedBridges.Where(b => b != bridge).ToList() };
            _states.Save(state);
        }

        return state;
    }

    private static void EnsureTargetExists(HostNetwork host, ApplianceConfiguration configuration)
    {
        if (!host.NamespaceExists())
        {
            throw new GatewayException(GatewayErrorCode.NotFound, $"The network namespace '{configuration.Namespace}' does not exist.", configuration.Namespace);
        }

        if (!host.LinkExists(configuration.ExternalInterface))
        {
            throw new GatewayException(GatewayErrorCode.NotFound,
                $"The external interface '{configuration.ExternalInterface}' does not exist {Where(configuration.Namespace)}.", configuration.ExternalInterface);
        }
    }

    private void EnsureSupported()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new GatewayException(GatewayErrorCode.PlatformNotSupported, "The network extension appliance runs on Linux only.");
        }

        if (_checkPrivileges && !Environment.IsPrivilegedProcess)
        {
            throw new GatewayException(GatewayErrorCode.InsufficientPrivilege,
                "The network extension appliance changes interfaces, firewall rules and sysctls; run as root.");
        }
    }

    private static void Attempt(List<string> failures, Action action)
    {
        try
        {
            action();
        }
        catch (GatewayException ex)
        {
            failures.Add(ex.Message);
        }
    }

    private static string Canonical(string addressWithPrefix)
    {
        var slash = addressWithPrefix.IndexOf('/', StringComparison.Ordinal);
        return IPAddress.Parse(addressWithPrefix[..slash]) + addressWithPrefix[slash..];
    }

    private static string Where(string? networkNamespace) =>
        networkNamespace is null ? "on this host" : $"in network namespace '{networkNamespace}'";
}
