using System.Runtime.Intrinsics.X86;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;

namespace CloudGateway.Relay.Native;

/// <summary>
/// The order in which the relay prefers its cipher suites (it chooses, whatever the tenant's order): AES-128-GCM
/// first where the processor has AES instructions, as HAProxy's and Mozilla's recommended settings do, since it is
/// the cheapest AEAD there and as strong as a backup stream needs; ChaCha20-Poly1305 first where it has not, since
/// software AES is slow. AES-256-GCM stays offered for tenants that insist on it.
/// </summary>
internal static class TlsSuiteOrder
{
    private const string Aes128 = "TLS_AES_128_GCM_SHA256";
    private const string Aes256 = "TLS_AES_256_GCM_SHA384";
    private const string ChaCha = "TLS_CHACHA20_POLY1305_SHA256";
    private const string Tls12Aes128 = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";
    private const string Tls12Aes256 = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384";
    private const string Tls12ChaCha = "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

    /// <summary>Whether this processor encrypts AES in hardware (AES-NI, or the ARMv8 AES extension).</summary>
    public static bool HardwareAes { get; } = Aes.IsSupported || ArmAes.IsSupported;

    /// <summary>TLS 1.3 suites for SSL_CTX_set_ciphersuites, preferred first.</summary>
    public static string Tls13 { get; } = HardwareAes ? $"{Aes128}:{Aes256}:{ChaCha}" : $"{ChaCha}:{Aes128}:{Aes256}";

    /// <summary>TLS 1.2 suites for SSL_CTX_set_cipher_list: forward-secret AEAD only, preferred first.</summary>
    public static string Tls12 { get; } = HardwareAes ? $"{Tls12Aes128}:{Tls12Aes256}:{Tls12ChaCha}" : $"{Tls12ChaCha}:{Tls12Aes128}:{Tls12Aes256}";
}
