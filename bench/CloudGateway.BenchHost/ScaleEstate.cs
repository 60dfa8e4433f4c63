using CloudGateway.Model;
using CloudGateway.Storage;

namespace CloudGateway.BenchHost;

/// <summary>
/// The scale benchmark's estate (issue 18): pooled gateways in pools of ten, a few standalone gateways for the tenants
/// that use no pool, and tenants with three resources each, a third of them on pools, a tenth with limits. Every
/// object goes through the store's public API, one change at a time, as cmdlets make them.
/// </summary>
internal static class ScaleEstate
{
    /// <summary>Every tenant's password (one PBKDF2 hash is made and stored for all: 600,000 iterations each would take hours).</summary>
    public const string Password = "scale-password-0123456789";

    /// <summary>The standalone gateway the relay probe serves; every tenant without pools may use it.</summary>
    public const string ServedGateway = "edge-standalone-00";

    public const int GatewaysPerPool = 10;
    public const int StandaloneGateways = 10;
    public const int ResourcesPerTenant = 3;

    /// <summary>The name of tenant <paramref name="index"/>: the initials vary, so <c>-Name 'a*'</c> matches one in 26.</summary>
    public static string TenantName(int index) => $"{(char)('a' + index % 26)}-tenant-{index:00000}";

    /// <summary>Whether tenant <paramref name="index"/> uses pools (a third of them do); the rest use the standalone gateways.</summary>
    public static bool UsesPools(int index) => index % 3 == 1;

    /// <summary>Creates the estate in an empty store; reports each thousand tenants to <paramref name="progress"/>.</summary>
    public static void Create(IConfigurationStore store, int tenants, int pools, string passwordHash, int backendPort, Action<int>? progress = null)
    {
        for (var p = 0; p < pools; p++)
        {
            var members = new List<string>();
            for (var g = 0; g < GatewaysPerPool; g++)
            {
                var name = $"edge-p{p:00}-{g:00}";
                store.AddGateway(Gateway(name, $"10.{p}.{g}.1", $"server-{g:00}"));
                members.Add(name);
            }

            store.AddPool(new GatewayPool { Name = PoolName(p), Members = members });
        }

        for (var s = 0; s < StandaloneGateways; s++)
        {
            store.AddGateway(Gateway($"edge-standalone-{s:00}", $"10.250.{s}.1", $"server-{s:00}"));
        }

        for (var i = 0; i < tenants; i++)
        {
            AddTenant(store, i, pools, passwordHash, backendPort);
            if ((i + 1) % 1000 == 0)
            {
                progress?.Invoke(i + 1);
            }
        }
    }

    /// <summary>Adds tenant <paramref name="index"/> and its resources.</summary>
    public static void AddTenant(IConfigurationStore store, int index, int pools, string passwordHash, int backendPort)
    {
        var name = TenantName(index);
        var pooled = UsesPools(index) && pools > 0;
        var limited = index % 10 == 0;
        store.AddTenant(
            new Tenant
            {
                Name = name,
                Description = $"Generated tenant {index}",
                GatewaySelection = pooled ? GatewaySelection.Pools : GatewaySelection.Standalone,
                Pools = pooled ? [PoolName(index % pools), PoolName((index + 1) % pools)] : [],
                GatewayFailover = pooled,
                MaxConcurrentSessions = limited ? 8 : 0,
                UploadBandwidth = limited ? 50_000_000 : 0,
                DownloadBandwidth = limited ? 100_000_000 : 0,
            },
            passwordHash);
        for (var r = 0; r < ResourcesPerTenant; r++)
        {
            store.AddResource(new TenantResource { Tenant = name, Name = $"repo{r}", TargetHost = "127.0.0.1", TargetPort = backendPort });
        }
    }

    private static string PoolName(int index) => $"pool-{index:00}";

    private static Gateway Gateway(string name, string address, string server) => new()
    {
        Name = name,
        Server = server,
        Address = address,
        Port = 443,
        InternalPort = 443,
    };
}
