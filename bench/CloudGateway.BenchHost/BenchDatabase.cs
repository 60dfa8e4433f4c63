using CloudGateway.Model;
using CloudGateway.Security;
using CloudGateway.Storage;

namespace CloudGateway.BenchHost;

/// <summary>The benchmark's configuration: standalone gateways on loopback, one tenant, one resource, the certificate.</summary>
internal static class BenchDatabase
{
    public const string Tenant = "bench";
    public const string Resource = "backend";
    public const string Password = "bench-password-0123456789";

    /// <summary>The hello line relaybench sends (RB_HELLO).</summary>
    public static string HelloLine => $$"""{"version":1,"tenant":"{{Tenant}}","password":"{{Password}}","resource":"{{Resource}}"}""";

    /// <summary>Creates a fresh database file (an old one is deleted) through the real store.</summary>
    public static void Create(string path, byte[] pkcs12, int backendPort, IEnumerable<(string Name, int Port)> gateways)
    {
        foreach (var stale in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(stale);
        }

        using var store = ConfigurationDatabase.Open(path);
        foreach (var (name, port) in gateways)
        {
            store.AddGateway(new Gateway
            {
                Name = name,
                Server = Environment.MachineName,
                Address = "127.0.0.1",
                ListenAddress = "127.0.0.1",
                Port = port,
                InternalPort = port,
            });
        }

        store.AddTenant(new Tenant { Name = Tenant, GatewaySelection = GatewaySelection.Standalone }, PasswordHasher.Hash(Password));
        store.AddResource(new TenantResource { Tenant = Tenant, Name = Resource, TargetHost = "127.0.0.1", TargetPort = backendPort });
        store.SetGatewayCertificate(pkcs12);
    }
}
