using System.Collections.Concurrent;
using CloudGateway.Relay;
using CloudGateway.Security;
using CloudGateway.Storage;
using CloudGateway.Tests.Relay;

namespace CloudGateway.Tests.Reliability;

/// <summary>
/// Starts relay hosts whose PBKDF2 results are remembered across hosts for the whole test run, so tests that
/// start hundreds of hosts or log on hundreds of tenants do not spend minutes on key derivation; every other part
/// of admission (the per-host proof cache included) runs as in production. Since a check costs nothing here, the
/// gate that bounds concurrent PBKDF2 checks is opened wide: these tests log on hundreds of tenants at once and are
/// about sessions, not about that gate (RelayAdmissionGateTests are).
/// </summary>
internal static class CheapVerifier
{
    private static readonly ConcurrentDictionary<(string Password, string Hash), bool> Results = new();

    public static Task<RelayHost> StartHostAsync(IConfigurationStore store, RelayHostOptions options) =>
        RelayHost.StartWithVerifierAsync(store, options, null, null, Verify, CancellationToken.None);

    public static RelayHostOptions Options(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => new()
    {
        ServerName = RelayTestEnvironment.Server,
        Certificate = certificate,
        ListenAddressOverride = System.Net.IPAddress.Loopback,
        ListenPortOverride = 0,
        HandshakeTimeout = TimeSpan.FromSeconds(10),
        IdleTimeout = TimeSpan.FromSeconds(30),
        DrainTimeout = TimeSpan.FromSeconds(5),
        ConfigurationPollInterval = TimeSpan.FromMilliseconds(200),
        MaxConcurrentPasswordChecks = 4096,
    };

    private static bool Verify(string password, string hash) => Results.GetOrAdd((password, hash), static key => PasswordHasher.Verify(key.Password, key.Hash));
}
