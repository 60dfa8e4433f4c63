using CloudGateway.Protocol;

namespace CloudGateway.Tests.Protocol;

/// <summary>The one rule for hostile input: a frame, or the documented protocol error, within a bounded allocation.</summary>
internal static class HostileInput
{
    /// <summary>Decoding may allocate this much at most, however the input is shaped.</summary>
    public const long AllocationBound = 16L * WireProtocol.MaxFrameBytes;

    public static void AssertDecodesOrViolates(byte[] input)
    {
        var frameEnd = FindEndOrViolation(input);
        var frame = frameEnd < 0 ? input : input[..frameEnd];
        Attempt(() => FrameCodec.DecodeHello(frame));
        Attempt(() => FrameCodec.DecodeAnswer(frame));
    }

    private static int FindEndOrViolation(byte[] input)
    {
        try
        {
            return FrameCodec.FindFrameEnd(input);
        }
        catch (GatewayException ex) when (ex.Code == GatewayErrorCode.ProtocolViolation)
        {
            return -1;
        }
    }

    private static void Attempt(Func<object> decode)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            decode();
        }
        catch (GatewayException ex) when (ex.Code == GatewayErrorCode.ProtocolViolation)
        {
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > AllocationBound)
        {
            throw new InvalidOperationException($"Decoding allocated {allocated} bytes, over the bound of {AllocationBound}.");
        }
    }
}
