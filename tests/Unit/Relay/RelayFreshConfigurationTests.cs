using CloudGateway.Protocol;
using CloudGateway.Security;

namespace CloudGateway.Tests.Relay;

/// <summary>
/// A change made a moment before a tenant connects counts at once, before the relay's next look at the store: the
/// poll interval here is an hour, so only admission's own read of the store can let these tenants in.
/// </summary>
[Collection(RelayTestGroup.Name)]
public sealed class RelayFreshConfigurationTests
{
    private const string Password = "fresh-tenant-password";

    [Fact]
    public async Task Hello_TenantCreatedAfterTheLastPoll_AdmittedAtOnce()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        var host = await env.StartHostAsync(o => o with { ConfigurationPollInterval = TimeSpan.FromHours(1) });
        var port = RelayTestEnvironment.PortOf(host, "gw");

        env.AddTenant("newcomer", Password);
        env.AddResource("newcomer", "repo");
        await using var client = await RelayTestClient.ConnectAsync(port, "newcomer", Password, "repo");

        Assert.True(client.Answer.Accepted, client.Answer.Reason);
    }

    [Fact]
    public async Task Hello_PasswordChangedAfterTheLastPoll_NewOneAdmittedOldOneRefusedAtOnce()
    {
        await using var env = new RelayTestEnvironment();
        env.AddGateway("gw");
        env.AddTenant("acme", Password);
        env.AddResource("acme", "repo");
        var host = await env.StartHostAsync(o => o with { ConfigurationPollInterval = TimeSpan.FromHours(1) });
        var port = RelayTestEnvironment.PortOf(host, "gw");
        await using (var before = await RelayTestClient.ConnectAsync(port, "acme", Password, "repo"))
        {
            Assert.True(before.Answer.Accepted, before.Answer.Reason);
        }

        env.Store.SetTenantPassword("acme", PasswordHasher.Hash("changed-tenant-password"));
        await using var renewed = await RelayTestClient.ConnectAsync(port, "acme", "changed-tenant-password", "repo");
        await using var old = await RelayTestClient.ConnectAsync(port, "acme", Password, "repo");

        Assert.True(renewed.Answer.Accepted, renewed.Answer.Reason);
        Assert.Equal(RefusalReason.InvalidCredentials, old.Answer.Reason);
    }
}
