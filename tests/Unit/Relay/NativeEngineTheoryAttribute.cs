using CloudGateway.Relay.Native;

namespace CloudGateway.Tests.Relay;

/// <summary>A theory that needs the native relay engine (Linux with OpenSSL 3); skipped elsewhere with the reason said.</summary>
public sealed class NativeEngineTheoryAttribute : TheoryAttribute
{
    public NativeEngineTheoryAttribute()
    {
        if (!NativeEngine.IsSupported)
        {
            Skip = CiRun.SkipUnlessCi("the native relay engine needs Linux with OpenSSL 3 (libssl.so.3)");
        }
    }
}
