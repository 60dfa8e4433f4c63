using CloudGateway.Security;
using CloudGateway.Storage;

namespace CloudGateway.Client.Providers;

/// <summary>
/// How a provider store keeps tenants' passwords at rest: encrypted by <see cref="SecretProtector"/>, each bound to its
/// provider's id, under the same key file as the gateways' private key of that database.
/// </summary>
internal sealed class ProviderPasswords
{
    private readonly SecretProtector? _protector;

    private ProviderPasswords(SecretProtector? protector) => _protector = protector;

    /// <summary>The key file, or null when none is configured.</summary>
    public string? KeyPath => _protector?.KeyPath;

    /// <summary>
    /// For a SQLite database: the owner-only key file <c>&lt;database&gt;.key</c> beside it; <paramref name="sealedSecrets"/>
    /// lists what the database holds encrypted under it.
    /// </summary>
    public static ProviderPasswords BesideFile(string databasePath, Func<IReadOnlyList<SealedSecret>> sealedSecrets) =>
        new(new SecretProtector(SecretProtector.KeyPathFor(databasePath), null, sealedSecrets));

    /// <summary>For a shared PostgreSQL database: the key file <paramref name="keyFile"/> named by <see cref="ConfigurationDatabase.KeyFileVariable"/>, or none.</summary>
    public static ProviderPasswords Shared(string? keyFile, Func<IReadOnlyList<SealedSecret>> sealedSecrets) =>
        new(keyFile is null ? null : new SecretProtector(Path.GetFullPath(keyFile), ConfigurationDatabase.KeyFileVariable, sealedSecrets));

    /// <summary>
    /// Encrypts <paramref name="password"/> for the provider <paramref name="providerId"/>, creating the key file on first
    /// use (never while the database holds other secrets encrypted under a key).
    /// </summary>
    public byte[] Protect(string password, Guid providerId) => (_protector ?? throw NoKey()).Protect(password, providerId, SealedSecrets.OfProvider(providerId));

    /// <summary>Decrypts the password stored for the provider; StoreUnavailable naming the key file and the fix when it cannot.</summary>
    public string Unprotect(byte[] blob, Guid providerId, string providerName) =>
        (_protector ?? throw NoKey()).Unprotect(blob, providerId, $"provider '{providerName}'");

    private static GatewayException NoKey() => new(
        GatewayErrorCode.StoreUnavailable,
        $"Providers' passwords in a shared PostgreSQL database are encrypted with a key file: set the environment variable {ConfigurationDatabase.KeyFileVariable} to its path (it is created on first use; see docs/postgresql.md).",
        ConfigurationDatabase.KeyFileVariable);
}
