using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CloudGateway.Security;

namespace CloudGateway.Relay;

/// <summary>
/// Checks tenant passwords without running PBKDF2 on every connection. After one successful PBKDF2 check the
/// tenant's entry keeps an HMAC-SHA256 of the password under a random per-process key, together with the hash it
/// was verified against; a later hello with the right password costs one HMAC and a constant-time comparison. The
/// entry is ignored (and replaced) as soon as the stored hash changes, so a new password takes effect at once.
/// Every refused password costs one PBKDF2 check, whether the tenant exists or not (an unknown tenant is checked
/// against a dummy hash), so neither the answer nor its latency tells whether a tenant exists or has logged on.
/// At most a fixed number of PBKDF2 checks run at once; a password that would need one more is not checked and
/// answers <see cref="PasswordCheck.Busy"/>, whether the tenant exists or not. A cached proof never waits.
/// </summary>
internal sealed class CredentialVerifier : IDisposable
{
    private readonly Func<string, string, bool> _verifyHash;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Proof> _proofs = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    private readonly Proof _dummy;
    private readonly int _maxChecks;
    private int _checks;

    public CredentialVerifier(Func<string, string, bool> verifyHash, int maxConcurrentChecks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentChecks, 1);
        _verifyHash = verifyHash;
        _maxChecks = maxConcurrentChecks;
        _dummy = new Proof(string.Empty, RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>Whether <paramref name="password"/> is right for a tenant whose stored hash is <paramref name="passwordHash"/> (null for an unknown tenant), or busy when it would need a PBKDF2 check and none is free.</summary>
    public PasswordCheck Verify(string tenant, string password, string? passwordHash)
    {
        Span<byte> proof = stackalloc byte[32];
        ComputeProof(password, proof);
        if (passwordHash is null)
        {
            // Same work as a known tenant with a wrong password (HMAC, comparison, PBKDF2), and the same answer.
            _ = CryptographicOperations.FixedTimeEquals(proof, _dummy.Value);
            return CheckHash(password, null) == PasswordCheck.Busy ? PasswordCheck.Busy : PasswordCheck.Wrong;
        }

        if (_proofs.TryGetValue(tenant, out var cached) && string.Equals(cached.PasswordHash, passwordHash, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(proof, cached.Value))
        {
            return PasswordCheck.Right;
        }

        var check = CheckHash(password, passwordHash);
        if (check == PasswordCheck.Right)
        {
            _proofs[tenant] = new Proof(passwordHash, proof.ToArray());
        }

        return check;
    }

    /// <summary>Drops the entries of tenants that no longer exist.</summary>
    public void Retain(Func<string, bool> tenantExists)
    {
        foreach (var name in _proofs.Keys)
        {
            if (!tenantExists(name))
            {
                _proofs.TryRemove(name, out _);
            }
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private PasswordCheck CheckHash(string password, string? passwordHash)
    {
        if (Interlocked.Increment(ref _checks) > _maxChecks)
        {
            Interlocked.Decrement(ref _checks);
            return PasswordCheck.Busy;
        }

        try
        {
            return _verifyHash(password, passwordHash ?? DummyHash.Value) ? PasswordCheck.Right : PasswordCheck.Wrong;
        }
        finally
        {
            Interlocked.Decrement(ref _checks);
        }
    }

    private void ComputeProof(string password, Span<byte> proof)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(password.Length);
        var rented = maxBytes <= 1024 ? null : new byte[maxBytes];
        Span<byte> utf8 = rented ?? stackalloc byte[1024];
        var length = Encoding.UTF8.GetBytes(password, utf8);
        HMACSHA256.HashData(_key, utf8[..length], proof);

        CryptographicOperations.ZeroMemory(utf8[..length]);
    }

    private sealed record Proof(string PasswordHash, byte[] Value);
}
