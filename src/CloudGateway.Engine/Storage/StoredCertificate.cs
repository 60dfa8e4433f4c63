using CloudGateway.Security;

namespace CloudGateway.Storage;

/// <summary>
/// The gateways' certificate as the stores keep it: its PKCS#12 (private key included) encrypted by
/// <see cref="SecretProtector"/> under a key file outside the database. Databases written before this encryption hold
/// the bare PKCS#12, which starts with a DER sequence byte (0x30) and never with the protector's version byte; it is
/// still read, and the stores encrypt it when they are opened with a key.
/// </summary>
internal sealed class StoredCertificate
{
    private const string Target = "GatewayCertificate";

    // Binds the blob to the certificate row, so a provider's password blob cannot be swapped in for it.
    private static readonly Guid Owner = new("0c7f6a52-3b1e-4d2a-9f61-6a7c2e1d5b40");
    private readonly SecretProtector? _protector;
    private readonly string _remedy;

    private StoredCertificate(SecretProtector? protector, string remedy)
    {
        _protector = protector;
        _remedy = remedy;
    }

    /// <summary>The key file that encrypts the certificate, or null when none is configured.</summary>
    public string? KeyPath => _protector?.KeyPath;

    /// <summary>
    /// For a SQLite database: the key is the owner-only file <c>&lt;database&gt;.key</c> beside it, shared with the
    /// providers' passwords; <paramref name="sealedSecrets"/> lists what the database holds encrypted under it.
    /// </summary>
    public static StoredCertificate BesideFile(string databasePath, Func<IReadOnlyList<SealedSecret>> sealedSecrets) => new(
        new SecretProtector(SecretProtector.KeyPathFor(databasePath), null, sealedSecrets),
        $"put back the key file that was beside '{databasePath}', or store the certificate again with New-CloudGatewayCertificate -Force or Set-CloudGatewayCertificate -Force");

    /// <summary>
    /// For a database shared by several servers: the key is the file <paramref name="keyFile"/>, named by
    /// <see cref="ConfigurationDatabase.KeyFileVariable"/>, and must be the same on every server; null when it is not set.
    /// </summary>
    public static StoredCertificate Shared(string? keyFile, Func<IReadOnlyList<SealedSecret>> sealedSecrets) => new(
        keyFile is null ? null : new SecretProtector(Path.GetFullPath(keyFile), ConfigurationDatabase.KeyFileVariable, sealedSecrets),
        $"copy the key file from the server that stored the certificate to the path {ConfigurationDatabase.KeyFileVariable} names, or store the certificate again with Set-CloudGatewayCertificate -Force");

    /// <summary>Whether <paramref name="stored"/> is a bare PKCS#12 from before encryption, and a key is at hand to encrypt it.</summary>
    public bool NeedsSealing(byte[] stored) => _protector is not null && !SecretProtector.IsProtected(stored);

    /// <summary>
    /// Encrypts <paramref name="pkcs12"/> for storing in <paramref name="slot"/>, creating the key file on first use (never
    /// while the database holds other secrets encrypted under a key); StoreUnavailable naming the setting when no key is configured.
    /// </summary>
    public byte[] Seal(byte[] pkcs12, CertificateSlot slot) => (_protector ?? throw NoKey("Storing")).Protect(pkcs12, Owner, SealedSecrets.OfCertificate(slot));

    /// <summary>The PKCS#12 of <paramref name="stored"/>; StoreUnavailable naming the key file and the remedy when it cannot be decrypted.</summary>
    public byte[] Open(byte[] stored) => !SecretProtector.IsProtected(stored)
        ? stored
        : (_protector ?? throw NoKey("Reading")).Unprotect(stored, Owner, "The gateways' certificate (its private key is encrypted)", _remedy, Target);

    private static GatewayException NoKey(string doing) => new(
        GatewayErrorCode.StoreUnavailable,
        $"{doing} the gateways' certificate in a shared PostgreSQL database needs the key file that encrypts its private key: set the environment variable {ConfigurationDatabase.KeyFileVariable} to its path, the same file on every gateway server (it is created on first use; see docs/postgresql.md).",
        Target);
}
