using System.Security.Cryptography;
using CloudGateway.Relay;

namespace CloudGateway.Tests.Relay;

public sealed class PasswordCheckGateTests
{
    [Fact]
    public async Task Check_MoreIdenticalHellosThanWaiters_OnlyTheSurplusBusy()
    {
        using var held = new ManualResetEventSlim();
        var calls = 0;
        var gate = new PasswordCheckGate((password, hash) => { Interlocked.Increment(ref calls); held.Wait(TimeSpan.FromSeconds(30)); return hash == "h:" + password; }, 1);
        var proof = RandomNumberGenerator.GetBytes(32);
        var right = 0;
        var owner = OnOwnThread(() => gate.Check("acme", "pw", "h:pw", proof, () => Interlocked.Increment(ref right)));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref calls) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var waiters = Enumerable.Range(0, PasswordCheckGate.MaxWaiters + 1).Select(_ => OnOwnThread(() => gate.Check("ACME", "pw", "h:pw", proof, () => Interlocked.Increment(ref right)))).ToList();
        var surplus = await Task.WhenAny(waiters).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(PasswordCheck.Busy, await surplus);
        held.Set();
        var results = await Task.WhenAll(waiters.Append(owner)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(PasswordCheckGate.MaxWaiters + 1, results.Count(r => r == PasswordCheck.Right));
        Assert.Equal(1, results.Count(r => r == PasswordCheck.Busy));
        Assert.Equal(1, calls);
        Assert.Equal(1, right);
    }

    private static Task<PasswordCheck> OnOwnThread(Func<PasswordCheck> check) =>
        Task.Factory.StartNew(check, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    [Fact]
    public void Check_SlotFree_RunsEachTimeAndFreesTheSlot()
    {
        var calls = 0;
        var gate = new PasswordCheckGate((password, hash) => { calls++; return hash == "h:" + password; }, 1);

        Assert.Equal(PasswordCheck.Wrong, gate.Check("acme", "bad", "h:pw", RandomNumberGenerator.GetBytes(32), null));
        Assert.Equal(PasswordCheck.Right, gate.Check("acme", "pw", "h:pw", RandomNumberGenerator.GetBytes(32), null));
        Assert.Equal(2, calls);
    }
}
