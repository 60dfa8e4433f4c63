using CloudGateway.Model;

namespace CloudGateway.Tests.Model;

public sealed class ValidatorTests
{
    private static readonly Gateway ValidGateway = new() { Name = "edge", Address = "edge.example.net", Server = "srv" };

    private static string[] Fields(IEnumerable<ValidationProblem> problems) => [.. problems.Select(p => p.Field).Order()];

    [Fact]
    public void GatewayValidate_Valid_NoProblem()
    {
        Assert.Empty(GatewayValidator.Validate(GatewayValidator.Normalize(ValidGateway)));
    }

    [Fact]
    public void GatewayNormalize_Direct_InternalPortFollowsPort()
    {
        var normalized = GatewayValidator.Normalize(ValidGateway with { Port = 443, InternalPort = 8443 });

        Assert.Equal(443, normalized.InternalPort);
    }

    [Fact]
    public void GatewayNormalize_BlankListenAddress_MeansAll()
    {
        Assert.Null(GatewayValidator.Normalize(ValidGateway with { ListenAddress = " " }).ListenAddress);
    }

    [Fact]
    public void GatewayValidate_DirectWithDifferentInternalPort_InternalPortProblem()
    {
        Assert.Equal(["InternalPort"], Fields(GatewayValidator.Validate(ValidGateway with { Port = 443, InternalPort = 8443 })));
    }

    [Theory]
    [InlineData(0, 6180, "Port")]
    [InlineData(65536, 6180, "Port")]
    [InlineData(443, 0, "InternalPort")]
    [InlineData(443, 70000, "InternalPort")]
    public void GatewayValidate_NatPortOutOfRange_ProblemForThatPort(int port, int internalPort, string field)
    {
        var gateway = ValidGateway with { NetworkMode = NetworkMode.Nat, Port = port, InternalPort = internalPort };

        Assert.Equal([field], Fields(GatewayValidator.Validate(gateway)));
    }

    [Fact]
    public void GatewayValidate_ListenAddressDnsName_Refused()
    {
        Assert.Equal(["ListenAddress"], Fields(GatewayValidator.Validate(ValidGateway with { ListenAddress = "edge.local" })));
        Assert.Empty(GatewayValidator.Validate(ValidGateway with { ListenAddress = "::" }));
    }

    [Fact]
    public void GatewayValidate_EmptyServerAndUndefinedMode_Reported()
    {
        var gateway = ValidGateway with { Server = "", NetworkMode = (NetworkMode)7 };

        Assert.Equal(["NetworkMode", "Server"], Fields(GatewayValidator.Validate(gateway)));
    }

    [Fact]
    public void GatewayCheck_EveryRuleBroken_OneExceptionListingAll()
    {
        var gateway = new Gateway { Name = "", Address = "bad address", Port = -5, Server = "s", NetworkMode = NetworkMode.Nat, InternalPort = 0, ListenAddress = "nope" };

        var error = Assert.Throws<GatewayException>(() => GatewayValidator.Check(gateway));

        Assert.Equal(GatewayErrorCode.ValidationFailed, error.Code);
        Assert.Equal(["Address", "InternalPort", "ListenAddress", "Name", "Port"], Fields(error.Problems));
        Assert.Contains("Port:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PoolValidate_BadNameAndRepeatedMember_Reported()
    {
        var pool = new GatewayPool { Name = "p|q", Members = ["a", "A", ""] };

        Assert.Equal(["Members", "Members", "Name"], Fields(GatewayPoolValidator.Validate(pool)));
    }

    [Fact]
    public void TenantNormalize_Pools_DecideSelection()
    {
        Assert.Equal(GatewaySelection.Pools, TenantValidator.Normalize(new Tenant { Name = "t", Pools = ["p"] }).GatewaySelection);
        Assert.Equal(GatewaySelection.Standalone, TenantValidator.Normalize(new Tenant { Name = "t", GatewaySelection = GatewaySelection.Pools }).GatewaySelection);
    }

    [Fact]
    public void TenantValidate_PoolsSelectionWithoutPools_Refused()
    {
        Assert.Equal(["Pools"], Fields(TenantValidator.Validate(new Tenant { Name = "t", GatewaySelection = GatewaySelection.Pools })));
    }

    [Theory]
    [InlineData(-1, 0, 0, "MaxConcurrentSessions")]
    [InlineData(0, -1, 0, "UploadBandwidth")]
    [InlineData(0, 0, -1, "DownloadBandwidth")]
    public void TenantValidate_NegativeLimit_ProblemForThatLimit(int sessions, long upload, long download, string field)
    {
        var tenant = new Tenant { Name = "t", MaxConcurrentSessions = sessions, UploadBandwidth = upload, DownloadBandwidth = download };

        Assert.Equal([field], Fields(TenantValidator.Validate(tenant)));
    }

    [Fact]
    public void TenantValidate_ZeroLimits_MeanUnlimitedAndAreValid()
    {
        Assert.Empty(TenantValidator.Validate(new Tenant { Name = "t", UploadBandwidth = 10L * 1024 * 1024 * 1024 }));
    }

    [Fact]
    public void TenantCheck_NameTooLongAndEndingInDot_BothReported()
    {
        var error = Assert.Throws<GatewayException>(() => TenantValidator.Check(new Tenant { Name = new string('x', 200) + "." }));

        Assert.Equal(["Name", "Name"], Fields(error.Problems));
    }

    [Fact]
    public void ResourceValidate_BadHostAndPort_BothReported()
    {
        var resource = new TenantResource { Tenant = "t", Name = "r", TargetHost = "no such host!", TargetPort = 0 };

        Assert.Equal(["TargetHost", "TargetPort"], Fields(TenantResourceValidator.Validate(resource)));
        Assert.Empty(TenantResourceValidator.Validate(resource with { TargetHost = "10.0.0.1", TargetPort = 65535 }));
    }

    [Fact]
    public void ResourceValidate_BadName_Reported()
    {
        var resource = new TenantResource { Tenant = "t", Name = "a;b", TargetHost = "repo.local", TargetPort = 1 };

        Assert.Equal(["Name"], Fields(TenantResourceValidator.Validate(resource)));
    }
}
