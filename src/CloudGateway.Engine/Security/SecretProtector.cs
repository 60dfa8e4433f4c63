using System.Security.Cryptography;
using System.Text;

namespace CloudGateway.Security;

/// <summary>
/// Encrypts secrets that must be read back (a provider's password, the gateways' private key) with AES-256-GCM under
/// a key kept in its own file outside the database. The key is created on the first encryption (never to decrypt),
/// owner-only (mode 0600; on Windows an access list of the owner, SYSTEM and Administrators), and a key file anyone else
/// may read is refused on Linux and macOS. This protects a copied or backed-up database, not a machine where the same user is compromised.
/// A missing key file is not replaced by a new key while the database holds other secrets sealed under a key: they
/// would all become unreadable (a mistyped key path, or a database copied without its key).
/// </summary>
internal sealed class SecretProtector
{
    private const byte FormatVersion = 1;
    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly Func<IReadOnlyList<SealedSecret>> _sealedSecrets;
    private readonly object _keyLock = new();
    private byte[]? _key;

    /// <summary>
    /// Works with the key in <paramref name="keyPath"/>; <paramref name="setting"/>, when given, names where that path
    /// was configured, for errors; <paramref name="sealedSecrets"/> lists what the database holds sealed, read only
    /// when the key file is missing.
    /// </summary>
    public SecretProtector(string keyPath, string? setting, Func<IReadOnlyList<SealedSecret>> sealedSecrets)
    {
        KeyPath = keyPath;
        Setting = setting;
        _sealedSecrets = sealedSecrets;
    }

    /// <summary>The key file.</summary>
    public string KeyPath { get; }

    /// <summary>The setting that named <see cref="KeyPath"/> (an environment variable), or null for the default beside the database.</summary>
    public string? Setting { get; }

    /// <summary>The key file for the database at <paramref name="databasePath"/>.</summary>
    public static string KeyPathFor(string databasePath) => databasePath + ".key";

    /// <summary>
    /// Encrypts <paramref name="secret"/>, bound to <paramref name="owner"/> so the blob cannot be moved to another
    /// record; <paramref name="slot"/> is where it will be stored (<see cref="SealedSecret.Slot"/>).
    /// </summary>
    public byte[] Protect(string secret, Guid owner, string slot)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        try
        {
            return Protect(plain, owner, slot);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Encrypts <paramref name="plain"/> bytes, bound to <paramref name="owner"/>, for the place <paramref name="slot"/>.
    /// Creates the key file when it is missing, unless the database holds sealed secrets elsewhere than in that slot.
    /// </summary>
    public byte[] Protect(ReadOnlySpan<byte> plain, Guid owner, string slot)
    {
        var blob = new byte[1 + NonceBytes + TagBytes + plain.Length];
        blob[0] = FormatVersion;
        var nonce = blob.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(slot), TagBytes);
        aes.Encrypt(nonce, plain, blob.AsSpan(1 + NonceBytes + TagBytes), blob.AsSpan(1 + NonceBytes, TagBytes), owner.ToByteArray());
        return blob;
    }

    /// <summary>Whether <paramref name="stored"/> starts like a blob of <see cref="Protect(ReadOnlySpan{byte}, Guid, string)"/>.</summary>
    public static bool IsProtected(byte[] stored) => stored is [FormatVersion, ..] && stored.Length >= 1 + NonceBytes + TagBytes;

    /// <summary>Decrypts a password made by <see cref="Protect(string, Guid, string)"/> for the same owner; StoreUnavailable when it cannot.</summary>
    public string Unprotect(byte[] blob, Guid owner, string what)
    {
        var plain = Unprotect(blob, owner, $"The saved password of {what}", "set it again with Set-CloudProvider -Credential", what);
        try
        {
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Decrypts a blob made by <see cref="Protect(ReadOnlySpan{byte}, Guid, string)"/> for the same owner; StoreUnavailable naming
    /// <paramref name="what"/>, the key file and <paramref name="remedy"/> when the key is missing or another.
    /// </summary>
    public byte[] Unprotect(byte[] blob, Guid owner, string what, string remedy, object? target)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (!IsProtected(blob))
        {
            throw Unreadable(what, remedy, target, null);
        }

        // A missing key is not created here: a new one could not decrypt anything already stored.
        if (Volatile.Read(ref _key) is null && !File.Exists(KeyPath))
        {
            throw new GatewayException(GatewayErrorCode.StoreUnavailable, Directory.Exists(KeyPath)
                ? $"{what} cannot be decrypted: the key file '{KeyPath}'{NamedBy} is a directory, not a key file; {NotADirectory}, or {remedy}."
                : $"{what} cannot be decrypted: the key file '{KeyPath}'{NamedBy} does not exist (the database was copied without its key); {remedy}.", target);
        }

        var plain = new byte[blob.Length - 1 - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(Key(slot: null), TagBytes);
            aes.Decrypt(blob.AsSpan(1, NonceBytes), blob.AsSpan(1 + NonceBytes + TagBytes), blob.AsSpan(1 + NonceBytes, TagBytes), plain, owner.ToByteArray());
            return plain;
        }
        catch (AuthenticationTagMismatchException ex)
        {
            CryptographicOperations.ZeroMemory(plain);
            throw Unreadable(what, remedy, target, ex);
        }
    }

    private GatewayException Unreadable(string what, string remedy, object? target, Exception? inner) => new(
        GatewayErrorCode.StoreUnavailable,
        $"{what} cannot be decrypted with the key file '{KeyPath}'{NamedBy} (the database was copied without its key, or the key changed); {remedy}.",
        target,
        inner);

    private string NamedBy => Setting is null ? string.Empty : $" named by {Setting}";

    // Only a loaded key is kept: after a refusal, a key file put in place is used without reopening the database.
    private byte[] Key(string? slot)
    {
        lock (_keyLock)
        {
            return _key ??= LoadOrCreateKey(slot);
        }
    }

    // A null slot only loads: decrypting never creates a key.
    private byte[] LoadOrCreateKey(string? slot)
    {
        try
        {
            if (Directory.Exists(KeyPath))
            {
                throw new GatewayException(GatewayErrorCode.StoreUnavailable, $"The key file '{KeyPath}'{NamedBy} is a directory, not a key file; {NotADirectory}.", KeyPath);
            }

            if (!File.Exists(KeyPath) && slot is not null)
            {
                RefuseToOrphan(slot);
                CreateKey();
            }

            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(KeyPath) & ~OwnerOnlyAccess.FileMode) != 0)
            {
                throw new GatewayException(GatewayErrorCode.StoreUnavailable,
                    $"The key file '{KeyPath}'{NamedBy} may be read by other users; restrict it to its owner (chmod 600) and try again.", KeyPath);
            }

            var key = File.ReadAllBytes(KeyPath);
            return key.Length == KeyBytes
                ? key
                : throw new GatewayException(GatewayErrorCode.StoreUnavailable, $"The key file '{KeyPath}'{NamedBy} is not a {KeyBytes}-byte key.", KeyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GatewayException(GatewayErrorCode.StoreUnavailable, $"The key file '{KeyPath}'{NamedBy} cannot be read or created: {ex.Message}", KeyPath, ex);
        }
    }

    private string NotADirectory => Setting is null ? "move that directory away" : $"set {Setting} to the path of the key file itself, not its folder";

    // A new key could decrypt none of the secrets sealed under the old one; only the one this write replaces may go.
    private void RefuseToOrphan(string slot)
    {
        var others = _sealedSecrets().Where(secret => secret.Slot != slot).Select(secret => secret.Description).ToList();
        if (others.Count == 0)
        {
            return;
        }

        var held = others.Count <= 3 ? string.Join(", ", others) : $"{string.Join(", ", others.Take(3))} and {others.Count - 3} more";
        var fix = Setting is null
            ? "Put back the key file that was beside the database"
            : $"Set {Setting} to the path of the key file that encrypted them (copy it from a server that has it)";
        throw new GatewayException(GatewayErrorCode.StoreUnavailable,
            $"The key file '{KeyPath}'{NamedBy} does not exist, and the database already holds secrets encrypted under a key ({held}); " +
            $"a new key could not decrypt them, so none was created. {fix}. If that key is lost, first remove or replace what it encrypted " +
            "(Remove-CloudProvider; New-CloudGatewayCertificate -Force or Set-CloudGatewayCertificate -Force).",
            KeyPath);
    }

    // CreateNew: when two processes race, one creates the key and the other reads it.
    private void CreateKey()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyAccess.FileMode;
        }

        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            using (var file = new FileStream(KeyPath, options))
            {
                file.Write(key);
                file.Flush(flushToDisk: true);
            }

            if (OperatingSystem.IsWindows())
            {
                OwnerOnlyAccess.Restrict(KeyPath);
            }
        }
        catch (IOException) when (File.Exists(KeyPath))
        {
            return;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
