using System.Net;
using CloudGateway.Certificates;
using CloudGateway.Model;
using CloudGateway.Relay;
using CloudGateway.Security;
using CloudGateway.Storage;
using CloudGateway.Tests.Client;

namespace CloudGateway.Tests.Relay;

/// <summary>
/// Renewal before expiry by a running relay on a real SQLite file, under a clock the test moves by hand (the host's
/// timers still tick in real time, so each step is seen within a poll).
/// </summary>
public sealed class CertificateRenewalTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempFolder _folder = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly CapturingLoggerFactory _log = new();
    private readonly IConfigurationStore _store;
    private RelayHost? _host;

    public CertificateRenewalTests()
    {
        _store = ConfigurationDatabase.Open(_folder.File("config.db"));
        _store.AddGateway(new Gateway { Name = "gw", Address = "127.0.0.1", Server = "renewal" });
        _store.AddTenant(new Tenant { Name = "acme" }, PasswordHasher.Hash("tenant-password-1"));
    }

    [Fact]
    public async Task SelfSignedCertificate_ThirtyDaysBeforeExpiry_SuccessorStagedOnceAndSwitchedAtAutoSwitch()
    {
        var old = new GatewayCertificateManager(_store, _clock).Create(new NewCertificateOptions { DnsNames = ["gw.example.net"], IPAddresses = ["127.0.0.1"] }, force: false);
        var host = await StartAsync(autoSwitchDays: 7);

        _clock.Advance(TimeSpan.FromDays(334));
        await Task.Delay(300);
        Assert.Null(_store.GetCertificateState().Next);

        _clock.Advance(TimeSpan.FromDays(2));
        await RelayTestEnvironment.WaitUntilAsync(() => _store.GetCertificateState().Next is not null, Wait, "the successor is staged");
        var staged = new GatewayCertificateManager(_store, _clock).DescribeAll().Single(c => c.Role == CertificateSlot.Next);
        Assert.Equal(old.DnsNames, staged.DnsNames);
        Assert.Equal(old.IPAddresses, staged.IPAddresses);
        Assert.InRange((staged.NotAfter - _clock.GetUtcNow()).TotalDays, 364.9, 365.1);
        Assert.Single(_log.Events, e => e.Id.Id == 26);

        _clock.Advance(TimeSpan.FromDays(20));
        await Task.Delay(300);
        Assert.Equal((old.Thumbprint, staged.Thumbprint), (host.CertificateThumbprint, _store.GetCertificateState().Next));

        _clock.Advance(TimeSpan.FromDays(3));
        await RelayTestEnvironment.WaitUntilAsync(() => host.CertificateThumbprint == staged.Thumbprint, Wait, "the host presents the successor");
        Assert.Equal((staged.Thumbprint, null, old.Thumbprint), (_store.GetCertificateState().Active, _store.GetCertificateState().Next, _store.GetCertificateState().Previous));
        Assert.Single(_log.Events, e => e.Id.Id == 28);
        Assert.Single(_log.Events, e => e.Id.Id == 26);
    }

    [Fact]
    public async Task AutoSwitch_SuccessorStagedLate_WaitsForTheTenantsUntilTheLastDay()
    {
        var old = new GatewayCertificateManager(_store, _clock).Create(new NewCertificateOptions { DnsNames = ["gw.example.net"], IPAddresses = ["127.0.0.1"] }, force: false);
        _clock.Advance(TimeSpan.FromDays(360));
        var host = await StartAsync(autoSwitchDays: 7);
        await RelayTestEnvironment.WaitUntilAsync(() => _store.GetCertificateState().Next is not null, Wait, "the successor is staged");

        // Five days before expiry, inside the auto-switch limit, but staged a moment ago: the tenants get their time.
        _clock.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(300);
        _clock.Advance(TimeSpan.FromDays(2));
        await Task.Delay(300);
        Assert.Equal(old.Thumbprint, host.CertificateThumbprint);
        Assert.False(_log.Has(28));

        _clock.Advance(TimeSpan.FromDays(2.5));
        await RelayTestEnvironment.WaitUntilAsync(() => host.CertificateThumbprint != old.Thumbprint, Wait, "the host switches on the last day");
        Assert.Single(_log.Events, e => e.Id.Id == 28);
    }

    [Fact]
    public async Task CertificateFromPfx_NearExpiry_OnlyWarnedOnceAndNeverReplaced()
    {
        new GatewayCertificateManager(_store, _clock).Import(TestCertificates.GatewayPkcs12, null, force: false);
        var host = await StartAsync(autoSwitchDays: 7);
        var presented = host.CertificateThumbprint;

        await RelayTestEnvironment.WaitUntilAsync(() => _log.Has(27), Wait, "the expiring certificate is warned about");
        _clock.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(300);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(300);

        Assert.Single(_log.Events, e => e.Id.Id == 27);
        Assert.Null(_store.GetCertificateState().Next);
        Assert.Equal(presented, host.CertificateThumbprint);
        Assert.Contains("Set-CloudGatewayCertificate -Next", _log.Events.Single(e => e.Id.Id == 27).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(31)]
    public void Options_AutoSwitchOutsideTheRenewalWindow_AreRefusedNamingTheField(int days)
    {
        var problems = new RelayHostOptions { AutoSwitchDays = days }.Validate();

        Assert.Contains(problems, p => p.Field == "AutoSwitch");
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(TimeSpan.Zero).WaitAsync(TimeSpan.FromSeconds(30));
        }

        _store.Dispose();
        _log.Dispose();
        _folder.Dispose();
    }

    private async Task<RelayHost> StartAsync(int autoSwitchDays)
    {
        _host = await RelayHost.StartAsync(_store, new RelayHostOptions
        {
            ServerName = "renewal",
            Engine = TestRelayEngine.Selected,
            ListenAddressOverride = IPAddress.Loopback,
            ListenPortOverride = 0,
            ConfigurationPollInterval = TimeSpan.FromMilliseconds(50),
            DrainTimeout = TimeSpan.FromSeconds(1),
            AutoSwitchDays = autoSwitchDays,
        }, _log, _clock);
        return _host;
    }
}
