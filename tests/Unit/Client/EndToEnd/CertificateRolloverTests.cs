using CloudGateway.Certificates;
using CloudGateway.Relay;
using CloudGateway.Storage;

namespace CloudGateway.Tests.Client.EndToEnd;

/// <summary>
/// Certificate rollover through the real relay (certificate from the SP's SQLite file) and the real tenant client
/// (pins in the tenant's SQLite file): staging, switch and rollback with no command on the tenant side.
/// </summary>
public sealed class CertificateRolloverTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private static readonly NewCertificateOptions Loopback = new() { IPAddresses = ["127.0.0.1"] };

    private static async Task<(SpWorld World, RelayHost Host, string Old)> StartAsync()
    {
        var world = new SpWorld { UseStoredCertificate = true };
        world.AddGateway("gw-a");
        world.AddTenant(failover: false);
        var old = new GatewayCertificateManager(world.Sp).Create(Loopback, force: false).Thumbprint;
        var host = await world.StartRelayAsync();
        await world.AddProviderAsync("gw-a", old).WaitAsync(Limit);
        return (world, host, old);
    }

    private static async Task EchoAsync(Stream stream)
    {
        var sent = Guid.NewGuid().ToByteArray();
        await stream.WriteAsync(sent).AsTask().WaitAsync(Limit);
        var back = new byte[sent.Length];
        await stream.ReadExactlyAsync(back).AsTask().WaitAsync(Limit);
        Assert.Equal(sent, back);
    }

    [Fact]
    public async Task PinnedTenant_StagingSwitchAndRollback_KeepsTransferringWithoutTenantCommand()
    {
        var (world, host, old) = await StartAsync();
        await using var _ = world;
        var manager = new GatewayCertificateManager(world.Sp);
        var client = world.Providers.CreateClient("sp");
        Assert.Equal("gw-a", await SpWorld.OpenAndEchoAsync(client));

        var next = manager.Create(Loopback, force: false, CertificateSlot.Next).Thumbprint;
        await world.WaitForRelaysAsync();
        Assert.Equal("gw-a", await SpWorld.OpenAndEchoAsync(client));
        Assert.Equal(next, world.Tenants.GetProvider("sp").NextCertificateThumbprint);
        Assert.NotNull(world.Tenants.GetProvider("sp").NextCertificateLearned);
        var staged = manager.DescribeAll().Single(c => c.Role == CertificateSlot.Next);
        Assert.Equal((1, 1), (staged.TenantsLearned, staged.TenantCount));

        // A session opened under the old certificate goes on across the switch; new ones get the successor.
        await using (var live = await client.OpenResourceAsync(SpWorld.Resource, CancellationToken.None).WaitAsync(Limit))
        {
            await EchoAsync(live);
            var switched = manager.Switch(rollback: false);
            Assert.Equal((next, 1, 1), (switched.Thumbprint, switched.TenantsLearned, switched.TenantCount));
            await RelayTestWait.UntilAsync(() => host.CertificateThumbprint == next, TimeSpan.FromSeconds(5));
            await EchoAsync(live);
        }

        Assert.Equal("gw-a", await SpWorld.OpenAndEchoAsync(client));
        Assert.Equal("gw-a", await SpWorld.OpenAndEchoAsync(world.Providers.CreateClient("sp")));
        var afterSwitch = world.Tenants.GetProvider("sp");
        Assert.Equal((next, old), (afterSwitch.CertificateThumbprint, afterSwitch.NextCertificateThumbprint));
        Assert.Equal([CertificateSlot.Active, CertificateSlot.Previous], manager.DescribeAll().Select(c => c.Role));

        manager.Switch(rollback: true);
        await RelayTestWait.UntilAsync(() => host.CertificateThumbprint == old, TimeSpan.FromSeconds(5));
        Assert.Equal("gw-a", await SpWorld.OpenAndEchoAsync(client));
        Assert.Equal("gw-a", await SpWorld.OpenAndEchoAsync(world.Providers.CreateClient("sp")));
        Assert.Equal((old, next), (client.Pins.Thumbprint, client.Pins.NextThumbprint));
    }

    [Fact]
    public async Task RunningClient_PinChangedInTheTenantsStore_AppliesToItsNextConnection()
    {
        var (world, _, old) = await StartAsync();
        await using var __ = world;
        var client = world.Providers.CreateClient("sp");
        Assert.Equal("gw-a", await SpWorld.OpenAndEchoAsync(client));

        // Revoking the pin (as Set-CloudProvider -CertificateThumbprint does) stops a client that is already running.
        var revoked = new string('1', 64);
        world.Tenants.UpdateProvider("sp", p => p with { CertificateThumbprint = revoked, NextCertificateThumbprint = null, NextCertificateLearned = null });
        var refused = await Assert.ThrowsAsync<GatewayException>(() => client.OpenResourceAsync(SpWorld.Resource, CancellationToken.None).WaitAsync(Limit));
        Assert.Equal(GatewayErrorCode.CertificateMismatch, refused.Code);

        // And re-pinning the right thumbprint is the fix, without restarting it.
        world.Tenants.UpdateProvider("sp", p => p with { CertificateThumbprint = old });
        Assert.Equal("gw-a", await SpWorld.OpenAndEchoAsync(client));
    }

    [Fact]
    public async Task TenantAbsentWhileStaged_AfterSwitch_FailsBeforeCredentialNamingBothThumbprintsAndTheFix()
    {
        var (world, host, old) = await StartAsync();
        await using var _ = world;
        var manager = new GatewayCertificateManager(world.Sp);
        var next = manager.Create(Loopback, force: false, CertificateSlot.Next).Thumbprint;
        var switched = manager.Switch(rollback: false);
        Assert.Equal((0, 1), (switched.TenantsLearned, switched.TenantCount));
        await RelayTestWait.UntilAsync(() => host.CertificateThumbprint == next, TimeSpan.FromSeconds(5));

        var ex = await Assert.ThrowsAsync<GatewayException>(() => SpWorld.OpenAndEchoAsync(world.Providers.CreateClient("sp")));

        Assert.Equal(GatewayErrorCode.CertificateMismatch, ex.Code);
        Assert.Contains("no credential was sent", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"thumbprint {next}, not the pinned {old}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"Set-CloudProvider -Name 'sp' -CertificateThumbprint {next}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Sp.GetTenant(SpWorld.Tenant).FailedLogonCount);
        Assert.Null(world.Tenants.GetProvider("sp").NextCertificateThumbprint);
    }

    [Fact]
    public async Task StagedSuccessor_RelayStartedLater_AnnouncesItAndRecordsTheTenantOnce()
    {
        var (world, _, _) = await StartAsync();
        await using var __ = world;
        var next = new GatewayCertificateManager(world.Sp).Create(Loopback, force: false, CertificateSlot.Next).Thumbprint;
        var second = await world.StartRelayAsync();
        await world.WaitForRelaysAsync();
        var client = world.Providers.CreateClient("sp");

        await SpWorld.OpenAndEchoAsync(client);
        await world.WaitForRelaysAsync();
        var counter = world.Sp.GetChangeCounter();
        await SpWorld.OpenAndEchoAsync(client);

        Assert.Equal(next, world.Sp.GetCertificateState().LearnedByTenant[SpWorld.Tenant]);
        Assert.Equal(counter, world.Sp.GetChangeCounter());
        Assert.Equal(next, client.Pins.NextThumbprint);
        Assert.NotEqual(next, second.CertificateThumbprint);
    }
}
