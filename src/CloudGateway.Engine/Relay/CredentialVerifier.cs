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
/// PBKDF2 checks pass through a <see cref="PasswordCheckGate"/>: a password that would need one more check than
/// the gate allows answers <see cref="PasswordCheck.Busy"/>, whether the tenant exists or not. A cached proof never
/// waits.
/// </summary>
internal sealed class CredentialVerifier : IDisposable
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Proof> _proofs = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    private readonly Proof _dummy;
    private readonly PasswordCheckGate _gate;

    public CredentialVerifier(Func<string, string, bool> verifyHash, int maxConcurrentChecks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentChecks, 1);
        _gate = new PasswordCheckGate(verifyHash, maxConcurrentChecks);
        _dummy = new Proof(string.Empty, RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>The gate PBKDF2 checks pass through, for its running and waiting counts.</summary>
    public PasswordCheckGate Gate => _gate;

    /// <summary>Whether <paramref name="password"/> is right for a tenant whose stored hash is <paramref name="passwordHash"/> (null for an unknown tenant), or busy when it would need a PBKDF2 check and none is free.</summary>
    public PasswordCheck Verify(string tenant, string password, string? passwordHash)
    {
        var proof = new byte[32];
        ComputeProof(password, proof);
        if (passwordHash is null)
        {
            // Same work as a known tenant with a wrong password (HMAC, comparison, PBKDF2), and the same answer.
            _ = CryptographicOperations.FixedTimeEquals(proof, _dummy.Value);
            return _gate.Check(tenant, password, DummyHash.Value, proof, whenRight: null) == PasswordCheck.Busy ? PasswordCheck.Busy : PasswordCheck.Wrong;
        }

        if (_proofs.TryGetValue(tenant, out var cached) && string.Equals(cached.PasswordHash, passwordHash, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(proof, cached.Value))
        {
            return PasswordCheck.Right;
        }

        return _gate.Check(tenant, password, passwordHash, proof, () => _proofs[tenant] = new Proof(passwordHash, proof));
    }

    /// <summary>Whether <paramref name="password"/> is right by the tenant's cached proof alone, so checking it needs no PBKDF2.</summary>
    public bool IsProven(string tenant, string password, string? passwordHash)
    {
        if (passwordHash is null || !_proofs.TryGetValue(tenant, out var cached) || !string.Equals(cached.PasswordHash, passwordHash, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> proof = stackalloc byte[32];
        ComputeProof(password, proof);
        return CryptographicOperations.FixedTimeEquals(proof, cached.Value);
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
