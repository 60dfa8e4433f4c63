using System.Globalization;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;

namespace CloudGateway.Security;

/// <summary>
/// Hashes tenant passwords with PBKDF2-SHA256 and a random 16-byte salt per hash, into one self-describing
/// string <c>$pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 hash&gt;</c>, and verifies passwords against it.
/// </summary>
public static class PasswordHasher
{
    /// <summary>The iteration count new hashes use; hashes with fewer are refused.</summary>
    public const int Iterations = 600_000;

    /// <summary>The most iterations a stored hash may ask for, so a crafted hash cannot stall a gateway.</summary>
    public const int MaxIterations = 10_000_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Hashes <paramref name="password"/> with a fresh salt.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Hash(password.AsSpan());
    }

    /// <summary>Hashes a password held in a <see cref="SecureString"/>, clearing the temporary plain copy afterwards.</summary>
    public static string Hash(SecureString password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var buffer = IntPtr.Zero;
        var characters = new char[password.Length];
        try
        {
            buffer = Marshal.SecureStringToGlobalAllocUnicode(password);
            Marshal.Copy(buffer, characters, 0, characters.Length);
            return Hash(characters.AsSpan());
        }
        finally
        {
            Array.Clear(characters);
            if (buffer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(buffer);
            }
        }
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="hash"/>; false for a malformed hash.</summary>
    public static bool Verify(string password, string hash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(hash, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Whether <paramref name="hash"/> is a hash this class produces or accepts.</summary>
    public static bool IsWellFormed(string? hash) => TryParse(hash, out _, out _, out _);

    private static string Hash(ReadOnlySpan<char> password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"${Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    private static bool TryParse(string? hash, out int iterations, out byte[] salt, out byte[] expected)
    {
        iterations = 0;
        salt = [];
        expected = [];
        var parts = hash?.Split('$');
        if (parts is not ["", Scheme, var count, var saltText, var hashText]
            || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations < Iterations || iterations > MaxIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(saltText);
            expected = Convert.FromBase64String(hashText);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= SaltBytes && expected.Length >= HashBytes;
    }
}
