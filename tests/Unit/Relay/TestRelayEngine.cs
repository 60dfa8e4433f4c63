using CloudGateway.Relay;

namespace CloudGateway.Tests.Relay;

/// <summary>
/// The engine the relay tests run their hosts on: CLOUDGATEWAY_TEST_RELAY_ENGINE (Automatic, Managed or Native),
/// Automatic when unset. build.sh runs the relay tests once more with Managed, so both engines pass the same suite.
/// </summary>
public static class TestRelayEngine
{
    public static RelayEngine Selected { get; } =
        Enum.TryParse<RelayEngine>(Environment.GetEnvironmentVariable("CLOUDGATEWAY_TEST_RELAY_ENGINE"), ignoreCase: true, out var engine) ? engine : RelayEngine.Automatic;
}
