using System.Security.Cryptography;
using System.Text;

namespace CloudGateway.Security;

/// <summary>
/// Encrypts secrets the tenant side must be able to read back (a provider password, needed to log on again) with
/// AES-256-GCM under a key kept in its own file beside the database. On Linux and macOS the file is created with
/// mode 0600 and refused when anyone else may read it; on Windows it inherits the ACL of the user's profile folder
/// (DPAPI would need a package net8.0 does not ship). This protects a copied or backed-up database, not a
/// machine where the same user is compromised.
/// </summary>
internal sealed class SecretProtector
{
    private const byte FormatVersion = 1;
    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly Lazy<byte[]> _key;

    public SecretProtector(string keyPath)
    {
        KeyPath = keyPath;
        _key = new Lazy<byte[]>(LoadOrCreateKey, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The key file.</summary>
    public string KeyPath { get; }

    /// <summary>The key file for the database at <paramref name="databasePath"/>.</summary>
    public static string KeyPathFor(string databasePath) => databasePath + ".key";

    /// <summary>Encrypts <paramref name="secret"/>, bound to <paramref name="owner"/> so the blob cannot be moved to another record.</summary>
    public byte[] Protect(string secret, Guid owner)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var blob = new byte[1 + NonceBytes + TagBytes + plain.Length];
        blob[0] = FormatVersion;
        var nonce = blob.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Value, TagBytes);
        aes.Encrypt(nonce, plain, blob.AsSpan(1 + NonceBytes + TagBytes), blob.AsSpan(1 + NonceBytes, TagBytes), owner.ToByteArray());
        CryptographicOperations.ZeroMemory(plain);
        return blob;
    }

    /// <summary>Decrypts a blob made by <see cref="Protect"/> for the same owner; StoreUnavailable when it cannot.</summary>
    public string Unprotect(byte[] blob, Guid owner, string what)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Length < 1 + NonceBytes + TagBytes || blob[0] != FormatVersion)
        {
            throw Unreadable(what, null);
        }

        var plain = new byte[blob.Length - 1 - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(_key.Value, TagBytes);
            aes.Decrypt(blob.AsSpan(1, NonceBytes), blob.AsSpan(1 + NonceBytes + TagBytes), blob.AsSpan(1 + NonceBytes, TagBytes), plain, owner.ToByteArray());
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw Unreadable(what, ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private GatewayException Unreadable(string what, Exception? inner) => new(
        GatewayErrorCode.StoreUnavailable,
        $"The saved password of {what} cannot be decrypted with the key file '{KeyPath}' (the database was copied without its key, or the key changed); set it again with Set-CloudProvider -Credential.",
        what,
        inner);

    private byte[] LoadOrCreateKey()
    {
        try
        {
            if (!File.Exists(KeyPath))
            {
                CreateKey();
            }

            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(KeyPath) & ~OwnerOnly) != 0)
            {
                throw new GatewayException(GatewayErrorCode.StoreUnavailable,
                    $"The key file '{KeyPath}' may be read by other users; restrict it to its owner (chmod 600) and try again.", KeyPath);
            }

            var key = File.ReadAllBytes(KeyPath);
            return key.Length == KeyBytes
                ? key
                : throw new GatewayException(GatewayErrorCode.StoreUnavailable, $"The key file '{KeyPath}' is not a {KeyBytes}-byte key.", KeyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GatewayException(GatewayErrorCode.StoreUnavailable, $"The key file '{KeyPath}' cannot be read or created: {ex.Message}", KeyPath, ex);
        }
    }

    // CreateNew: when two processes race, one creates the key and the other reads it.
    private void CreateKey()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            using var file = new FileStream(KeyPath, options);
            file.Write(key);
            file.Flush(flushToDisk: true);
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
