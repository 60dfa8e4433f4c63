using System.Net;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Metrics;
using CloudGateway.Storage;

namespace CloudGateway.Relay;

/// <summary>How a <see cref="RelayHost"/> runs: which gateways it serves, its timeouts and limits.</summary>
public sealed record RelayHostOptions
{
    /// <summary>
    /// Names of the gateways to serve (enabled ones only), or null to serve every enabled gateway whose
    /// <see cref="Model.Gateway.Server"/> equals <see cref="ServerName"/>.
    /// </summary>
    public IReadOnlyList<string>? Gateways { get; init; }

    /// <summary>The machine name this host serves gateways for when <see cref="Gateways"/> is null.</summary>
    public string ServerName { get; init; } = Environment.MachineName;

    /// <summary>How long a new connection has from accept to acceptance (TLS, hello, admission, connecting the resource).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a session may pass no byte in either direction before it is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long live sessions may go on after the host stops, or after their gateway was disabled or removed.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most connections one gateway holds at once; further connections are closed before TLS.</summary>
    public int MaxConnectionsPerGateway { get; init; } = 10_000;

    /// <summary>How long a resumable session keeps its resource connection after the tenant's connection broke.</summary>
    public TimeSpan ResumableGracePeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The replay window and acknowledgement pace of resumable sessions.</summary>
    public Resumable.ResumableOptions Resumable { get; init; } = CloudGateway.Resumable.ResumableOptions.Default;

    /// <summary>
    /// The buffer memory one gateway may promise its resumable sessions (each is promised two windows: bytes to replay
    /// to the tenant, and bytes from the tenant waiting for the resource); a resumable hello beyond it hears gateway-busy.
    /// </summary>
    public long ResumableMemoryPerGateway { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>When wrong passwords lock a source out of a tenant, when they lock the whole tenant, for how long, and how long a source that logged on stays trusted.</summary>
    public LockoutPolicy LockoutPolicy { get; init; } = LockoutPolicy.Default;

    /// <summary>
    /// The most PBKDF2 password checks (first logons, wrong passwords, unknown tenants) the host runs at once; a
    /// hello that would need one more is refused with gateway-busy. Half the processors by default, at least 1.
    /// </summary>
    public int MaxConcurrentPasswordChecks { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How many refused password attempts from one source address make the host refuse it for a while.</summary>
    public SourceThrottlePolicy SourceThrottle { get; init; } = SourceThrottlePolicy.Default;

    /// <summary>How often the store's change counter is polled; changes take effect within this interval.</summary>
    public TimeSpan ConfigurationPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The TLS certificate with its private key, or null to load the gateways' certificate from the store.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Binds every listener to this address instead of the gateway's ListenAddress (tests, containers).</summary>
    public IPAddress? ListenAddressOverride { get; init; }

    /// <summary>Binds every listener to this port instead of the gateway's listen port; 0 picks a free port (tests).</summary>
    public int? ListenPortOverride { get; init; }

    /// <summary>Which engine relays connections: native event loops with OpenSSL where possible (the default), or .NET's managed TLS.</summary>
    public RelayEngine Engine { get; init; } = RelayEngine.Automatic;

    /// <summary>Where to serve GET /metrics for Prometheus and the status page at /status, and the token they ask for; null (the default) serves neither.</summary>
    public MetricsListenerOptions? MetricsListener { get; init; }

    /// <summary>
    /// When set, the host switches to the staged successor by itself once the active certificate expires within this many
    /// days (1 to 30; the successor of a self-signed certificate is staged 30 days before expiry); null to leave the
    /// switch to Switch-CloudGatewayCertificate.
    /// </summary>
    public int? AutoSwitchDays { get; init; }

    /// <summary>Whether the metrics include series per tenant (sessions, bytes); off by default, since hundreds of tenants make hundreds of series.</summary>
    public bool PerTenantMetrics { get; init; }

    /// <summary>
    /// A file the relay appends its events to, one JSON object per line (owner-only), besides any logger it is given;
    /// Get-CloudGatewayLog reads it. Null (the default) writes no file. Used by <see cref="Hosting.RelayRunner"/>.
    /// </summary>
    public string? LogPath { get; init; }

    internal IReadOnlyList<ValidationProblem> Validate()
    {
        var problems = new List<ValidationProblem>();
        CheckPositive(problems, nameof(HandshakeTimeout), HandshakeTimeout);
        CheckPositive(problems, nameof(IdleTimeout), IdleTimeout);
        CheckPositive(problems, nameof(ConfigurationPollInterval), ConfigurationPollInterval);
        if (DrainTimeout < TimeSpan.Zero)
        {
            problems.Add(new ValidationProblem(nameof(DrainTimeout), "must not be negative"));
        }

        CheckPositive(problems, nameof(ResumableGracePeriod), ResumableGracePeriod);
        if (ResumableMemoryPerGateway < 0)
        {
            problems.Add(new ValidationProblem(nameof(ResumableMemoryPerGateway), "must not be negative"));
        }

        if (MaxConnectionsPerGateway < 1)
        {
            problems.Add(new ValidationProblem(nameof(MaxConnectionsPerGateway), "must be at least 1"));
        }

        if (string.IsNullOrWhiteSpace(ServerName))
        {
            problems.Add(new ValidationProblem(nameof(ServerName), "must not be empty"));
        }

        if (LockoutPolicy is null || LockoutPolicy.Threshold < 1 || LockoutPolicy.Sources < 1 || LockoutPolicy.SourceThreshold < 1
            || LockoutPolicy.Window <= TimeSpan.Zero || LockoutPolicy.Duration <= TimeSpan.Zero || LockoutPolicy.TrustDuration < TimeSpan.Zero)
        {
            problems.Add(new ValidationProblem(nameof(LockoutPolicy), "needs thresholds and a source count of at least 1, a positive window and duration, and a trust duration not negative"));
        }

        if (!Enum.IsDefined(Engine))
        {
            problems.Add(new ValidationProblem(nameof(Engine), "must be Automatic, Managed or Native"));
        }

        if (ListenPortOverride is < 0 or > 65535)
        {
            problems.Add(new ValidationProblem(nameof(ListenPortOverride), "must be between 0 and 65535"));
        }

        if (MaxConcurrentPasswordChecks < 1)
        {
            problems.Add(new ValidationProblem(nameof(MaxConcurrentPasswordChecks), "must be at least 1"));
        }

        if (SourceThrottle is null || SourceThrottle.Threshold < 1 || SourceThrottle.Window <= TimeSpan.Zero || SourceThrottle.Cooldown <= TimeSpan.Zero || SourceThrottle.MaxSources < 1)
        {
            problems.Add(new ValidationProblem(nameof(SourceThrottle), "needs a threshold and a source count of at least 1 and a positive window and cooldown"));
        }

        if (AutoSwitchDays is < 1 or >= CertificateRenewal.RenewalDays)
        {
            problems.Add(new ValidationProblem("AutoSwitch", $"must be between 1 and {CertificateRenewal.RenewalDays - 1} days before expiry (the successor is staged {CertificateRenewal.RenewalDays} days before; the days between are the tenants' time to learn it), not {AutoSwitchDays}"));
        }

        if (MetricsListener is { BearerToken: { } token } && string.IsNullOrWhiteSpace(token))
        {
            problems.Add(new ValidationProblem(nameof(MetricsListener), "needs a bearer token that is not blank, or none"));
        }

        return problems;
    }

    private static void CheckPositive(List<ValidationProblem> problems, string field, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add(new ValidationProblem(field, "must be positive"));
        }
    }
}
