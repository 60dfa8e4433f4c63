using CloudGateway.Resumable;

namespace CloudGateway.Tests.Resumable;

public sealed class ByteWindowTests
{
    [Fact]
    public void AppendReleaseCopy_AcrossChunkBoundaries_KeepsTheBytesBetweenStartAndEnd()
    {
        using var window = new ByteWindow();
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        window.Append(data.AsSpan(0, 100_000));
        window.Append(data.AsSpan(100_000));
        window.Release(70_000);

        var copy = new byte[200_000];
        var copied = window.CopyFrom(80_000, copy);

        Assert.Equal((70_000L, 300_000L, 200_000), (window.Start, window.End, copied));
        Assert.Equal(data.AsSpan(80_000, 200_000).ToArray(), copy);
        Assert.Equal(4L * 64 * 1024, window.AllocatedBytes);
    }

    [Fact]
    public void Release_Everything_GivesEveryChunkBack()
    {
        using var window = new ByteWindow();
        window.Append(new byte[200_000]);
        window.Release(200_000);

        Assert.Equal((0L, 0L), (window.Count, window.AllocatedBytes));
        window.Append(new byte[] { 9 });
        Assert.Equal((200_000L, 200_001L), (window.Start, window.End));
    }

    [Fact]
    public void Take_ReturnsTheFirstBytesAndForgetsThem()
    {
        using var window = new ByteWindow();
        window.Append(new byte[] { 1, 2, 3, 4, 5 });
        var first = new byte[3];

        Assert.Equal(3, window.Take(first));
        Assert.Equal(new byte[] { 1, 2, 3 }, first);
        Assert.Equal((3L, 5L), (window.Start, window.End));
    }

    [Fact]
    public void CopyFrom_BeforeStart_Throws()
    {
        using var window = new ByteWindow();
        window.Append(new byte[10]);
        window.Release(5);

        Assert.Throws<ArgumentOutOfRangeException>(() => window.CopyFrom(4, new byte[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => window.Release(11));
    }
}
