using System.Collections.Concurrent;
using CloudGateway.Security;

namespace CloudGateway.Tests.Relay;

/// <summary>
/// A password hash check for relay hosts that counts its calls and how many run at once, and that blocks while
/// held, so a test can fill the host's password check slots deterministically. Results are real PBKDF2 results,
/// each computed once per test run.
/// </summary>
internal sealed class HeldVerifier : IDisposable
{
    private static readonly ConcurrentDictionary<(string Password, string Hash), bool> Results = new();
    private readonly ManualResetEventSlim _released = new(initialState: true);
    private int _calls;
    private int _running;

    public int Calls => Volatile.Read(ref _calls);

    public int Running => Volatile.Read(ref _running);

    /// <summary>From now on, checks block until <see cref="Release"/>.</summary>
    public void Hold() => _released.Reset();

    public void Release() => _released.Set();

    public bool Verify(string password, string hash)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Increment(ref _running);
        try
        {
            if (!_released.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("The held password check was never released.");
            }

            return Results.GetOrAdd((password, hash), static key => PasswordHasher.Verify(key.Password, key.Hash));
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public void Dispose()
    {
        _released.Set();
        _released.Dispose();
    }
}
