using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CloudGateway.Resumable;

namespace CloudGateway.Tests.Resumable;

public sealed class ResumableStreamTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly ResumableOptions Small = new(256 * 1024, 16 * 1024, TimeSpan.FromMilliseconds(5));

    [Fact]
    public async Task Transfer_LinkCutTwentyTimesBothWays_EveryByteArrivesOnceInOrder()
    {
        const int size = 32 * 1024 * 1024;
        using var a = new ResumableStream(Small);
        using var b = new ResumableStream(Small);
        var link = await Link.ConnectAsync(a, b, 0, 0);
        var sentByA = RandomNumberGenerator.GetBytes(size);
        var sentByB = RandomNumberGenerator.GetBytes(size);

        var aWrites = WriteAllAsync(a, sentByA);
        var bWrites = WriteAllAsync(b, sentByB);
        var aReads = ReadAllAsync(a);
        var bReads = ReadAllAsync(b);
        var cuts = 0;
        for (; cuts < 20 && !(a.IsCompleted && b.IsCompleted); cuts++)
        {
            await Task.Delay(Random.Shared.Next(2, 15));
            link.Cut();
            await WaitUntilAsync(() => !a.IsAttached && !b.IsAttached);
            link = await Link.ConnectAsync(a, b, b.Received, a.Received);
        }

        await Task.WhenAll(aWrites, bWrites).WaitAsync(Limit).ContinueWith(t => Assert.True(t.IsCompletedSuccessfully, $"{t.Exception?.InnerException?.Message} a: {a}; b: {b}"));
        Assert.Equal(SHA256.HashData(sentByA), SHA256.HashData(await bReads.WaitAsync(Limit)));
        Assert.Equal(SHA256.HashData(sentByB), SHA256.HashData(await aReads.WaitAsync(Limit)));
        await WaitUntilAsync(() => a.IsCompleted && b.IsCompleted);
        Assert.True(cuts >= 10, $"only {cuts} cuts before the transfer ended");
    }

    // Found by the relay tests: acknowledgements travel behind data, so a side that stopped reading its transport while
    // its application was busy writing never saw the acks its own writer waited for. An echo couples the two.
    [Fact]
    public async Task Echo_EchoingSideWritesBeforeItReadsAgain_NeverDeadlocks()
    {
        const int size = 16 * 1024 * 1024;
        using var a = new ResumableStream(Small);
        using var echo = new ResumableStream(Small);
        await Link.ConnectAsync(a, echo, 0, 0);
        var sent = RandomNumberGenerator.GetBytes(size);

        var echoing = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await echo.ReadAsync(buffer)) > 0)
            {
                await echo.WriteAsync(buffer.AsMemory(0, read));
            }

            await echo.ShutdownWriteAsync();
        });
        var reading = ReadAllAsync(a);
        await WriteAllAsync(a, sent).WaitAsync(Limit);

        Assert.Equal(SHA256.HashData(sent), SHA256.HashData(await reading.WaitAsync(Limit)));
        await echoing.WaitAsync(Limit);
    }

    [Fact]
    public async Task Write_WindowFullAndNothingAcknowledged_WaitsInsteadOfBuffering()
    {
        using var a = new ResumableStream(Small);
        var (mine, theirs) = await TcpPairAsync();
        using var silent = theirs;
        a.Attach(mine, 0);

        var writing = a.WriteAsync(new byte[Small.Window + 1]).AsTask();
        await Task.Delay(300);

        Assert.False(writing.IsCompleted);
        Assert.True(a.BufferedBytes <= Small.Window + 64 * 1024, $"{a.BufferedBytes} bytes buffered");
        a.Fail(new IOException("test over"));
        await Assert.ThrowsAsync<IOException>(() => writing);
    }

    [Fact]
    public async Task Attach_OtherSideClaimsBytesNeverSent_RefusedAndTheStreamGoesOn()
    {
        using var a = new ResumableStream(Small);
        using var b = new ResumableStream(Small);
        var (mine, theirs) = await TcpPairAsync();
        using var _ = theirs;

        Assert.Throws<InvalidDataException>(() => a.Attach(mine, 5));

        await Link.ConnectAsync(a, b, 0, 0);
        await a.WriteAsync(new byte[] { 42 });
        var one = new byte[1];
        Assert.Equal(1, await b.ReadAsync(one).AsTask().WaitAsync(Limit));
        Assert.Equal(42, one[0]);
    }

    [Fact]
    public async Task Silence_LinkBringsNothingForTheLimit_CountsAsABreakOnBothSides()
    {
        var quick = Small with { KeepAlive = TimeSpan.FromMilliseconds(50), SilenceLimit = TimeSpan.FromMilliseconds(400) };
        using var a = new ResumableStream(quick);
        using var b = new ResumableStream(quick);
        var (first, second) = await TcpPairAsync();
        var frozen = new FrozenStream(second);
        a.Attach(first, 0);
        b.Attach(frozen, 0);
        await Task.Delay(600);
        Assert.True(a.IsAttached && b.IsAttached, "keep-alives hold a quiet link open");

        frozen.Freeze();

        await WaitUntilAsync(() => !a.IsAttached && !b.IsAttached);
    }

    [Fact]
    public async Task AbortAsync_OtherSideReadsAnIOExceptionInsteadOfWaiting()
    {
        using var a = new ResumableStream(Small);
        using var b = new ResumableStream(Small);
        await Link.ConnectAsync(a, b, 0, 0);
        var reading = b.ReadAsync(new byte[1]).AsTask();

        await a.AbortAsync(new IOException("given up"));

        var error = await Assert.ThrowsAsync<IOException>(() => reading.WaitAsync(Limit));
        Assert.Contains("gave the resumable session up", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frames_DataWithAGap_FailTheStreamAsAProtocolBreach()
    {
        using var a = new ResumableStream(Small);
        var (mine, theirs) = await TcpPairAsync();
        await using var raw = theirs;
        a.Attach(mine, 0);
        var frame = new byte[ResumableFrame.DataHeaderLength + 1];
        ResumableFrame.WriteDataHeader(frame, 10, 1);

        await raw.WriteAsync(frame);

        var error = await Assert.ThrowsAsync<IOException>(() => a.ReadAsync(new byte[1]).AsTask().WaitAsync(Limit));
        Assert.Contains("broke the protocol", error.Message, StringComparison.Ordinal);
    }

    private static async Task WriteAllAsync(ResumableStream stream, byte[] data)
    {
        for (var offset = 0; offset < data.Length;)
        {
            var count = Math.Min(Random.Shared.Next(1, 100_000), data.Length - offset);
            await stream.WriteAsync(data.AsMemory(offset, count));
            offset += count;
        }

        await stream.ShutdownWriteAsync();
    }

    private static async Task<byte[]> ReadAllAsync(ResumableStream stream)
    {
        using var all = new MemoryStream();
        var buffer = new byte[50_000];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }

    private static async Task<(NetworkStream First, NetworkStream Second)> TcpPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient { NoDelay = true };
        var accepting = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accepting;
        return (client.GetStream(), server.GetStream());
    }

    // A transport that, once frozen, neither delivers nor sends anything, as a path that went silent without a reset.
    private sealed class FrozenStream(NetworkStream inner) : Stream
    {
        private readonly TaskCompletionSource _never = new();
        private volatile bool _frozen;

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Freeze() => _frozen = true;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (_frozen)
            {
                await _never.Task.WaitAsync(cancellationToken);
            }

            return read;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            _frozen ? ValueTask.CompletedTask : inner.WriteAsync(buffer, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _never.TrySetException(new ObjectDisposedException(nameof(FrozenStream)));
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    // One connection between the two sides; Cut resets it the way a broken path would.
    private sealed class Link
    {
        private readonly NetworkStream _first;
        private readonly NetworkStream _second;

        private Link(NetworkStream first, NetworkStream second) => (_first, _second) = (first, second);

        public static async Task<Link> ConnectAsync(ResumableStream a, ResumableStream b, long bReceived, long aReceived)
        {
            var (first, second) = await TcpPairAsync();
            a.Attach(first, bReceived);
            b.Attach(second, aReceived);
            return new Link(first, second);
        }

        public void Cut()
        {
            try
            {
                _first.Socket.LingerState = new LingerOption(true, 0);
            }
            catch (ObjectDisposedException)
            {
                // The side closed it already (the break was noticed, or the session completed).
            }

            _first.Dispose();
            _second.Dispose();
        }
    }
}
