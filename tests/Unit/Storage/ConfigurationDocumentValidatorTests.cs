using CloudGateway.Model;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Storage;

public sealed class ConfigurationDocumentValidatorTests
{
    private static readonly string WellFormedHash = $"$pbkdf2-sha256$600000${Convert.ToBase64String(new byte[16])}${Convert.ToBase64String(new byte[32])}";

    private static readonly ConfigurationDocument Valid = new()
    {
        Gateways = [new Gateway { Name = "a", Address = "a.example.net" }, new Gateway { Name = "b", Address = "10.0.0.2" }],
        Pools = [new GatewayPool { Name = "p", Members = ["b", "a"] }],
        Tenants = [new TenantCredential(new Tenant { Name = "t", Pools = ["p"] }, WellFormedHash)],
        Resources = [new TenantResource { Tenant = "t", Name = "r", TargetHost = "repo.local", TargetPort = 443 }],
    };

    private static GatewayErrorCode Failure(ConfigurationDocument document) =>
        Assert.Throws<GatewayException>(() => ConfigurationDocumentValidator.Check(document)).Code;

    [Fact]
    public void Check_Valid_ReturnsNormalized()
    {
        var checkedDocument = ConfigurationDocumentValidator.Check(Valid);

        Assert.Equal(GatewaySelection.Pools, checkedDocument.Tenants[0].Tenant.GatewaySelection);
    }

    [Fact]
    public void Check_OtherFormatVersion_InvalidConfigurationDocument()
    {
        Assert.Equal(GatewayErrorCode.InvalidConfigurationDocument, Failure(Valid with { FormatVersion = 2 }));
    }

    [Fact]
    public void Check_InvalidRecordsEverywhere_ListsEveryProblem()
    {
        var document = Valid with
        {
            Gateways = [Valid.Gateways[0] with { Port = 0 }, Valid.Gateways[1] with { Address = "bad address" }],
            Resources = [Valid.Resources[0] with { TargetPort = 99999 }],
            Tenants = [new TenantCredential(Valid.Tenants[0].Tenant, "not a hash")],
        };

        var error = Assert.Throws<GatewayException>(() => ConfigurationDocumentValidator.Check(document));

        Assert.Equal(["Address", "PasswordHash", "Port", "TargetPort"], error.Problems.Select(p => p.Field).Order());
        Assert.Contains("gateway 'b'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not a hash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SameNameTwice_DuplicateName()
    {
        Assert.Equal(GatewayErrorCode.DuplicateName, Failure(Valid with { Gateways = [.. Valid.Gateways, Valid.Gateways[0] with { Id = Guid.NewGuid(), Name = "A" }] }));
    }

    [Fact]
    public void Check_SameIdTwice_DuplicateName()
    {
        Assert.Equal(GatewayErrorCode.DuplicateName, Failure(Valid with { Gateways = [.. Valid.Gateways, Valid.Gateways[0] with { Name = "c" }] }));
    }

    [Fact]
    public void Check_PoolListsMissingGateway_NotFound()
    {
        Assert.Equal(GatewayErrorCode.NotFound, Failure(Valid with { Pools = [Valid.Pools[0] with { Members = ["a", "ghost"] }] }));
    }

    [Fact]
    public void Check_GatewayInTwoPools_GatewayInAnotherPool()
    {
        Assert.Equal(GatewayErrorCode.GatewayInAnotherPool, Failure(Valid with { Pools = [.. Valid.Pools, new GatewayPool { Name = "q", Members = ["a"] }] }));
    }

    [Fact]
    public void Check_TenantNamesMissingPool_PoolNotFound()
    {
        Assert.Equal(GatewayErrorCode.PoolNotFound, Failure(Valid with { Tenants = [new TenantCredential(new Tenant { Name = "t", Pools = ["p", "ghost"] }, WellFormedHash)] }));
    }

    [Fact]
    public void Check_ResourceOfMissingTenant_NotFound()
    {
        Assert.Equal(GatewayErrorCode.NotFound, Failure(Valid with { Resources = [.. Valid.Resources, Valid.Resources[0] with { Id = Guid.NewGuid(), Tenant = "nobody" }] }));
    }

    [Fact]
    public void CheckRecords_ReferenceToObjectOutsideTheDocument_Accepted()
    {
        var partial = new ConfigurationDocument { Tenants = [new TenantCredential(new Tenant { Name = "t", Pools = ["stored-pool"] }, WellFormedHash)] };

        Assert.Single(ConfigurationDocumentValidator.CheckRecords(partial).Tenants);
        Assert.Equal(GatewayErrorCode.PoolNotFound, Failure(partial));
    }

    [Fact]
    public void Deserialize_UnknownProperty_InvalidConfigurationDocument()
    {
        var error = Assert.Throws<GatewayException>(() => ConfigurationTransfer.Deserialize("""{ "formatVersion": 1, "gatways": [] }""", "doc.json"));

        Assert.Equal(GatewayErrorCode.InvalidConfigurationDocument, error.Code);
        Assert.Contains("doc.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SerializeThenDeserialize_Document_RoundTripsWithoutDerivedFields()
    {
        var json = ConfigurationTransfer.Serialize(Valid);

        var back = ConfigurationTransfer.Deserialize(json, "memory");

        Assert.Equal(json, ConfigurationTransfer.Serialize(back));
        Assert.DoesNotContain("listenPort", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"pool\"", json, StringComparison.Ordinal);
        Assert.Contains("\"gatewaySelection\": \"Standalone\"", json, StringComparison.Ordinal);
    }
}
