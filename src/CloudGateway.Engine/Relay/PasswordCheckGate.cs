using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CloudGateway.Relay;

/// <summary>
/// Runs at most a fixed number of password hash checks (PBKDF2) at once in the host. A check identical to one
/// already running (same tenant name, stored hash and password proof) waits for that check's result instead of
/// running again, up to <see cref="MaxWaiters"/> waiters per check; any other check while every slot is taken
/// answers <see cref="PasswordCheck.Busy"/> at once. Nothing here depends on whether the tenant exists.
/// </summary>
internal sealed class PasswordCheckGate(Func<string, string, bool> verifyHash, int maxChecks)
{
    /// <summary>How many identical hellos may wait for one running check (a tenant's parallel first sessions).</summary>
    public const int MaxWaiters = 16;

    private readonly ConcurrentDictionary<string, RunningCheck> _running = new(StringComparer.OrdinalIgnoreCase);
    private int _checks;
    private int _waiting;

    /// <summary>PBKDF2 checks running now.</summary>
    public int Running => Volatile.Read(ref _checks);

    /// <summary>Hellos waiting for an identical running check's result.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Checks <paramref name="password"/> against <paramref name="passwordHash"/>; <paramref name="whenRight"/> runs before waiting hellos hear the result.</summary>
    public PasswordCheck Check(string tenant, string password, string passwordHash, byte[] proof, Action? whenRight)
    {
        var mine = new RunningCheck(passwordHash, proof);
        if (!_running.TryAdd(tenant, mine))
        {
            return _running.TryGetValue(tenant, out var other) && other.Matches(passwordHash, proof) ? Await(other) : Run(password, passwordHash, whenRight);
        }

        var result = PasswordCheck.Busy;
        try
        {
            result = Run(password, passwordHash, whenRight);
            return result;
        }
        finally
        {
            _running.TryRemove(KeyValuePair.Create(tenant, mine));
            mine.Complete(result);
        }
    }

    private PasswordCheck Run(string password, string passwordHash, Action? whenRight)
    {
        if (Interlocked.Increment(ref _checks) > maxChecks)
        {
            Interlocked.Decrement(ref _checks);
            return PasswordCheck.Busy;
        }

        try
        {
            if (!verifyHash(password, passwordHash))
            {
                return PasswordCheck.Wrong;
            }

            whenRight?.Invoke();
            return PasswordCheck.Right;
        }
        finally
        {
            Interlocked.Decrement(ref _checks);
        }
    }

    private PasswordCheck Await(RunningCheck other)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            return other.Await();
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private sealed class RunningCheck(string passwordHash, byte[] proof)
    {
        private readonly object _gate = new();
        private PasswordCheck? _result;
        private int _waiters;

        public bool Matches(string otherHash, byte[] otherProof) =>
            string.Equals(passwordHash, otherHash, StringComparison.Ordinal) && CryptographicOperations.FixedTimeEquals(proof, otherProof);

        public PasswordCheck Await()
        {
            lock (_gate)
            {
                if (_result is null && _waiters >= MaxWaiters)
                {
                    return PasswordCheck.Busy;
                }

                _waiters++;
                while (_result is null)
                {
                    Monitor.Wait(_gate);
                }

                return _result.Value;
            }
        }

        public void Complete(PasswordCheck result)
        {
            lock (_gate)
            {
                _result = result;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
