using System.Globalization;
using CloudGateway.Certificates;
using CloudGateway.Model;

namespace CloudGateway.Storage;

/// <summary>
/// What a configuration change did and what it left for the administrator to act on, as notes beside the change's
/// result: which row was written, the change number the relays pick up and the gateways it concerns (details), a
/// tenant none of whose pools' gateways is enabled, and a gateway whose address the gateway certificate does not
/// cover (attention). Read after the change; the tenants, the one table that grows with the estate, only when a pool
/// has no enabled gateway left, so a change stays cheap on a large estate.
/// </summary>
public static class ConfigurationReview
{
    /// <summary>The most names one note lists; an estate-wide change names the first ones and counts the rest.</summary>
    public const int MaxNamesListed = 20;

    private static readonly IReadOnlyList<string> NoNames = [];

    /// <summary>Notes after <paramref name="gateway"/> was written (<paramref name="action"/>: "added", "disabled", ...).</summary>
    public static IReadOnlyList<OperationNote> AfterGatewayChange(IConfigurationStore store, Gateway gateway, string action)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(gateway);
        var now = new Reading(store);
        var notes = new List<OperationNote> { Told(now, $"Gateway '{gateway.Name}' (row {gateway.Id}) {action}", [gateway.Name]) };
        notes.AddRange(TenantsWithoutGateway(now, now.Pools.Where(p => p.Members.Any(m => NameIs(m, gateway.Name)))));
        notes.AddRange(Uncovered(store, now.Gateways.Where(g => NameIs(g.Name, gateway.Name))));
        return notes;
    }

    /// <summary>Notes after <paramref name="pool"/> was written.</summary>
    public static IReadOnlyList<OperationNote> AfterPoolChange(IConfigurationStore store, GatewayPool pool, string action)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pool);
        var now = new Reading(store);
        var notes = new List<OperationNote> { Told(now, $"Pool '{pool.Name}' (row {pool.Id}) {action}", pool.Members) };
        notes.AddRange(TenantsWithoutGateway(now, now.Pools.Where(p => NameIs(p.Name, pool.Name))));
        return notes;
    }

    /// <summary>Notes after <paramref name="tenant"/> was written; <paramref name="tenant"/> is the tenant as stored.</summary>
    public static IReadOnlyList<OperationNote> AfterTenantChange(IConfigurationStore store, Tenant tenant, string action)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tenant);
        var now = new Reading(store);
        var notes = new List<OperationNote> { Told(now, $"Tenant '{tenant.Name}' (row {tenant.Id}) {action}", GatewaysOf(now, tenant)) };
        if (WithoutGateway(now, tenant) is { } attention)
        {
            notes.Add(attention);
        }

        return notes;
    }

    /// <summary>
    /// Notes after an import replaced <paramref name="before"/> with <paramref name="after"/>: the rows added,
    /// updated and removed of each kind, then every tenant left without a gateway and every gateway the certificate
    /// does not cover.
    /// </summary>
    public static IReadOnlyList<OperationNote> AfterImport(IConfigurationStore store, ConfigurationDocument before, ConfigurationDocument after)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var notes = new List<OperationNote>
        {
            Rows("Gateways", before.Gateways, after.Gateways, g => g.Name, (a, b) => Unstamped(a) == Unstamped(b)),
            Rows("Pools", before.Pools, after.Pools, p => p.Name, (a, b) => a.Description == b.Description && SameNames(a.Members, b.Members)),
            Rows("Tenants", before.Tenants, after.Tenants, t => t.Tenant.Name,
                (a, b) => Unstamped(a.Tenant) == Unstamped(b.Tenant) && SameNames(a.Tenant.Pools, b.Tenant.Pools) && a.PasswordHash == b.PasswordHash),
            Rows("Resources", before.Resources, after.Resources, r => $"{r.Tenant}/{r.Name}", (a, b) => Unstamped(a) == Unstamped(b)),
        };
        var now = new Reading(store.ReadSnapshot());
        notes.Add(OperationNote.Detail(string.Create(CultureInfo.InvariantCulture,
            $"Change {now.ChangeCounter}: every running relay reloads the whole configuration within 2 seconds.")));
        notes.AddRange(now.Tenants.Select(t => WithoutGateway(now, t)).OfType<OperationNote>());
        notes.AddRange(Uncovered(store, now.Gateways));
        return notes;
    }

    private static OperationNote Told(Reading now, string what, IEnumerable<string> gateways)
    {
        var names = gateways.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var concerned = names.Count == 0 ? "it concerns no gateway now" : $"it concerns gateway(s) {List(names)}";
        return OperationNote.Detail(string.Create(CultureInfo.InvariantCulture,
            $"{what}: change {now.ChangeCounter}, which the relays pick up within 2 seconds; {concerned}."));
    }

    private static OperationNote Rows<T>(string kind, IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> name, Func<T, T, bool> same)
    {
        var old = before.ToDictionary(name, StringComparer.OrdinalIgnoreCase);
        var added = after.Where(item => !old.ContainsKey(name(item))).Select(name).ToList();
        var updated = after.Where(item => old.TryGetValue(name(item), out var was) && !same(was, item)).Select(name).ToList();
        var kept = after.Select(name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var removed = before.Select(name).Where(n => !kept.Contains(n)).ToList();
        return OperationNote.Detail($"{kind}: {Part("added", added)}; {Part("updated", updated)}; {Part("removed", removed)}.");
    }

    // What a row holds apart from when it was written (and, for a gateway, its pool, which the pools' lists give);
    // lists are compared apart, since records compare them by reference.
    private static Gateway Unstamped(Gateway gateway) => gateway with { Created = default, Modified = default, Pool = null };

    private static Tenant Unstamped(Tenant tenant) => tenant with { Created = default, Modified = default, Pools = NoNames };

    private static TenantResource Unstamped(TenantResource resource) => resource with { Created = default, Modified = default };

    private static bool SameNames(IReadOnlyList<string> a, IReadOnlyList<string> b) => a.SequenceEqual(b, StringComparer.OrdinalIgnoreCase);

    private static string Part(string what, List<string> names) => names.Count == 0 ? $"none {what}" : $"{names.Count} {what} ({List(names)})";

    private static string List(List<string> names) => names.Count <= MaxNamesListed
        ? string.Join(", ", names)
        : string.Join(", ", names.Take(MaxNamesListed)) + $" and {names.Count - MaxNamesListed} more";

    // The tenants using any of these pools that have no enabled gateway left; none when every pool still has one.
    private static IEnumerable<OperationNote> TenantsWithoutGateway(Reading now, IEnumerable<GatewayPool> pools)
    {
        var emptied = pools.Where(p => !p.Members.Any(now.IsEnabled)).Select(p => p.Name).ToList();
        return emptied.Count == 0
            ? []
            : now.Tenants.Where(t => t.Pools.Any(p => emptied.Contains(p, StringComparer.OrdinalIgnoreCase))).Select(t => WithoutGateway(now, t)).OfType<OperationNote>();
    }

    private static OperationNote? WithoutGateway(Reading now, Tenant tenant)
    {
        if (tenant.GatewaySelection != GatewaySelection.Pools || tenant.Pools.Count == 0
            || now.Pools.Where(p => tenant.Pools.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).SelectMany(p => p.Members).Any(now.IsEnabled))
        {
            return null;
        }

        var fallback = tenant.GatewayFailover
            ? "it falls back to the standalone gateways"
            : "it cannot connect until one is enabled (Enable-CloudGateway) or it may fail over (Set-CloudTenant -GatewayFailover)";
        return OperationNote.Attention($"No gateway of the pools of tenant '{tenant.Name}' ({string.Join(", ", tenant.Pools)}) is enabled: {fallback}.");
    }

    /// <summary>An attention note for each of <paramref name="gateways"/> whose address the stored gateway certificate does not cover.</summary>
    internal static List<OperationNote> Uncovered(IConfigurationStore store, IEnumerable<Gateway> gateways)
    {
        var concerned = gateways.ToList();
        byte[]? pkcs12;
        try
        {
            pkcs12 = concerned.Count == 0 ? null : store.GetGatewayCertificate();
        }
        catch (GatewayException ex) when (ex.Code == GatewayErrorCode.StoreUnavailable)
        {
            // The key of the private key is missing or another here; the review says so instead of failing the change.
            return [OperationNote.Attention($"The gateway certificate could not be checked: {ex.Message}")];
        }

        if (pkcs12 is null)
        {
            return [];
        }

        var (server, all) = Pkcs12.Load(pkcs12, null, "The stored gateway certificate");
        try
        {
            var uncovered = CertificateDescriber.Describe(server, concerned, DateTimeOffset.UtcNow).UncoveredGateways;
            return concerned.Where(g => uncovered.Contains(g.Name, StringComparer.OrdinalIgnoreCase)).Select(g => OperationNote.Attention(
                $"The gateway certificate does not cover address '{g.Address}' of gateway '{g.Name}': tenants will refuse it. Renew it with New-CloudGatewayCertificate -Force or Set-CloudGatewayCertificate.")).ToList();
        }
        finally
        {
            Pkcs12.Dispose(all);
        }
    }

    // The gateways whose relays act on a change to the tenant: its pools' members, or the standalone gateways, and
    // both when it may fail over.
    private static IEnumerable<string> GatewaysOf(Reading now, Tenant tenant)
    {
        var standalone = now.Gateways.Where(g => g.Pool is null).Select(g => g.Name);
        if (tenant.GatewaySelection != GatewaySelection.Pools)
        {
            return standalone;
        }

        var pooled = now.Pools.Where(p => tenant.Pools.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).SelectMany(p => p.Members);
        return tenant.GatewayFailover ? pooled.Concat(standalone) : pooled;
    }

    private static bool NameIs(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>The configuration as read after a change: gateways, pools and the change number at once, tenants on demand.</summary>
    private sealed class Reading
    {
        private readonly Func<IReadOnlyList<Tenant>> _readTenants;
        private IReadOnlyList<Tenant>? _tenants;
        private HashSet<string>? _enabled;

        public Reading(IConfigurationStore store)
        {
            ChangeCounter = store.GetChangeCounter();
            Gateways = store.GetGateways();
            Pools = store.GetPools();
            _readTenants = store.GetTenants;
        }

        public Reading(ConfigurationSnapshot snapshot)
        {
            ChangeCounter = snapshot.ChangeCounter;
            Gateways = snapshot.Gateways;
            Pools = snapshot.Pools;
            _readTenants = () => [.. snapshot.Tenants.Select(t => t.Tenant)];
        }

        public long ChangeCounter { get; }

        public IReadOnlyList<Gateway> Gateways { get; }

        public IReadOnlyList<GatewayPool> Pools { get; }

        public IReadOnlyList<Tenant> Tenants => _tenants ??= _readTenants();

        public bool IsEnabled(string gateway) =>
            (_enabled ??= Gateways.Where(g => g.Enabled).Select(g => g.Name).ToHashSet(StringComparer.OrdinalIgnoreCase)).Contains(gateway);
    }
}
