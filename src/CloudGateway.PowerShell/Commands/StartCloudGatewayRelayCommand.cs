using System.Management.Automation;
using System.Net;
using System.Security;
using CloudGateway.Hosting;
using CloudGateway.Metrics;
using CloudGateway.Relay;

namespace CloudGateway.PowerShell.Commands;

/// <summary>
/// Starts the relay in the background of this PowerShell process, serving the enabled gateways of this machine (or
/// those named), and returns its status. One relay runs per module load. -Verbose names each listener opened; a
/// warning names a gateway assigned to another server, a listener that could not bind, a gateway the certificate
/// does not cover, or a database or key file other users may read.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "CloudGatewayRelay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RelayStatus))]
public sealed class StartCloudGatewayRelayCommand : CloudGatewayCmdlet
{
    private static readonly RelayHostOptions Defaults = new();

    /// <summary>The gateways to serve; by default every enabled gateway whose Server is this machine.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Gateway { get; set; }

    /// <summary>How long a new connection has for TLS, its hello and admission (a number means seconds).</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan HandshakeTimeout { get; set; } = Defaults.HandshakeTimeout;

    /// <summary>How long a session may pass no byte before it is closed (a number means seconds).</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan IdleTimeout { get; set; } = Defaults.IdleTimeout;

    /// <summary>How long live sessions may go on once the relay stops or their gateway is disabled (a number means seconds).</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan DrainTimeout { get; set; } = Defaults.DrainTimeout;

    /// <summary>The most connections one gateway holds at once.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxConnectionsPerGateway { get; set; } = Defaults.MaxConnectionsPerGateway;

    /// <summary>Binds every listener to this address instead of each gateway's own (tests, containers).</summary>
    [Parameter]
    public IPAddress? ListenAddress { get; set; }

    /// <summary>Binds every listener to this port instead of each gateway's own; 0 picks a free port (tests).</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int? ListenPort { get; set; }

    /// <summary>The relay engine: Automatic (native on Linux with OpenSSL 3, else managed), Native or Managed.</summary>
    [Parameter]
    public RelayEngine Engine { get; set; } = Defaults.Engine;

    /// <summary>Serves GET /metrics for Prometheus and the status page at /status here: a port (bound to 127.0.0.1) or address:port; off when not given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MetricsEndpoint { get; set; }

    /// <summary>The bearer token a metrics scrape must present; by default any local caller may scrape.</summary>
    [Parameter]
    public SecureString? MetricsBearerToken { get; set; }

    /// <summary>Adds series per tenant (sessions, bytes) to the metrics.</summary>
    [Parameter]
    public SwitchParameter PerTenantMetrics { get; set; }

    /// <summary>Switches to the staged successor certificate by itself this many days before the active one expires.</summary>
    [Parameter]
    [ValidateRange(1, Certificates.GatewayCertificateInfo.ExpiryWarningDays - 1)]
    public int? AutoSwitch { get; set; }

    /// <summary>A file the relay appends its events to as JSON lines (owner-only); Get-CloudGatewayLog reads it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPath { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var databasePath = Session.DatabasePath;
        var what = Gateway is null ? "the gateways of " + Environment.MachineName : "gateways " + string.Join(", ", Gateway);
        if (!ShouldProcess(databasePath, $"Start a relay serving {what}"))
        {
            return;
        }

        var options = new RelayHostOptions
        {
            Gateways = Gateway,
            HandshakeTimeout = HandshakeTimeout,
            IdleTimeout = IdleTimeout,
            DrainTimeout = DrainTimeout,
            MaxConnectionsPerGateway = MaxConnectionsPerGateway,
            ListenAddressOverride = ListenAddress,
            ListenPortOverride = ListenPort,
            Engine = Engine,
            PerTenantMetrics = PerTenantMetrics,
            AutoSwitchDays = AutoSwitch,
            LogPath = LogPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(LogPath),
        };
        Try("CloudGatewayRelay", () =>
        {
            options = options with { MetricsListener = MetricsListener() };
            var runner = ModuleRelay.Start(() => RelayRunner.StartAsync(Session.OpenAnotherStore, options, CancellationToken).GetAwaiter().GetResult());
            WriteNotes(runner.GetStartNotes());
            WriteObject(runner.GetStatus());
        });
    }

    private MetricsListenerOptions? MetricsListener()
    {
        if (MetricsEndpoint is null)
        {
            return null;
        }

        var endPoint = MetricsListenerOptions.ParseEndPoint(MetricsEndpoint)
            ?? throw new GatewayException(GatewayErrorCode.ValidationFailed, $"-MetricsEndpoint '{MetricsEndpoint}' is not a port, address:port or [IPv6 address]:port.", MetricsEndpoint);
        var token = MetricsBearerToken is null ? null : new NetworkCredential(string.Empty, MetricsBearerToken).Password;
        return new MetricsListenerOptions { EndPoint = endPoint, BearerToken = token };
    }
}
