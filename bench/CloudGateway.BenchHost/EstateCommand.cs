using CloudGateway.Security;
using CloudGateway.Storage;

namespace CloudGateway.BenchHost;

/// <summary>
/// <c>estate LOCATION TENANTS POOLS PFX BACKEND_PORT</c>: makes the scale estate in a store (a SQLite file, or a
/// PostgreSQL connection string), emptied first, and prints what making it cost as one key=value line.
/// </summary>
internal static class EstateCommand
{
    public static int Run(string location, int tenants, int pools, string pfx, int backendPort)
    {
        using var store = ConfigurationDatabase.OpenLocation(location);
        if (store.GetTenants().Count > 0 || store.GetGateways().Count > 0)
        {
            // A PostgreSQL database of an earlier run: emptied through the engine too.
            Console.Error.WriteLine($"estate: emptying {store.Location}");
            store.ReplaceConfiguration(_ => new ConfigurationDocument());
        }

        var hash = PasswordHasher.Hash(ScaleEstate.Password);
        var made = Measurement.Of(() => ScaleEstate.Create(store, tenants, pools, hash, backendPort, done => Console.Error.WriteLine($"estate: {done} tenants")));
        store.SetGatewayCertificate(File.ReadAllBytes(pfx));
        var snapshot = store.ReadSnapshot();
        Console.WriteLine(
            $"tenants={snapshot.Tenants.Count} resources={snapshot.Resources.Count} gateways={snapshot.Gateways.Count} pools={snapshot.Pools.Count} " +
            $"{made.Fields("make")} make_per_tenant_ms={made.Elapsed.TotalMilliseconds / Math.Max(1, tenants):0.00} peak_rss_mib={Measurement.PeakMemoryMiB():0.0}");
        return 0;
    }
}
