using CloudGateway.Networking.Appliance;

namespace CloudGateway.Tests.Networking.Appliance;

public sealed class ProcessCommandRunnerTests
{
    [Theory]
    [InlineData("nft", "install the nftables package (apt-get install nftables)")]
    [InlineData("ip", "install the iproute2 package (apt-get install iproute2)")]
    [InlineData("cloudgateway-no-such-tool", "is it installed")]
    public void Run_ToolMissing_SystemCommandFailedNamingThePackage(string tool, string remedy)
    {
        var missing = Path.Combine(Path.GetTempPath(), "cloudgateway-no-such-folder", tool);

        var error = Assert.Throws<GatewayException>(() => new ProcessCommandRunner().Run([missing, "list"]));

        Assert.Equal(GatewayErrorCode.SystemCommandFailed, error.Code);
        Assert.Contains(remedy, error.Message, StringComparison.Ordinal);
    }
}
