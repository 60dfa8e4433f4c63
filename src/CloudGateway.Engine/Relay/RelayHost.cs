using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Metrics;
using CloudGateway.Model;
using CloudGateway.Protocol;
using CloudGateway.Security;
using CloudGateway.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudGateway.Relay;

/// <summary>
/// A running cloud gateway relay: TLS listeners for this server's gateways, tenant admission, and the relayed
/// sessions. Start one with <see cref="StartAsync(IConfigurationStore, RelayHostOptions?, ILoggerFactory?, TimeProvider?, CancellationToken)"/>; it follows configuration changes by itself and stops with
/// <see cref="StopAsync"/> (or disposal), which drains live sessions first. Every member is safe to call from any thread.
/// </summary>
public sealed partial class RelayHost : IAsyncDisposable, IHelloAdmission, IConnectionRegistry
{
    private readonly IConfigurationStore _store;
    private readonly CredentialVerifier _verifier;
    private readonly Admission _admission;
    private readonly List<X509Certificate2> _ownedCertificates = [];
    private readonly bool _ownsCertificate;
    private readonly CertificateRenewal? _renewal;
    private SslServerAuthenticationOptions _serverAuthenticationOptions;
    private X509Certificate2 _presentedCertificate;
    private string _certificateThumbprint;
    private readonly ConcurrentDictionary<long, RelayConnection> _connections = new();
    private readonly ConcurrentDictionary<Guid, TenantRuntime> _tenants = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _cutDrain = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _stopGate = new();
    private long _nextConnectionId;
    private int _state;
    private Task? _stopTask;
    private Task _pollLoop = Task.CompletedTask;
    private Task _leaseLoop = Task.CompletedTask;
    private ITimer? _sweeper;
    private int _sweeping;
    private RelayConfiguration _configuration = null!;
    private long _appliedChangeCounter;
    private MetricsCollector? _collector;
    private AdminEndpoint? _metricsEndpoint;
    private Status.ThroughputSampler? _throughput;

    // Made once: admission runs for every connection and should allocate no delegates.
    private readonly Func<RelayConfiguration> _currentConfiguration;
    private readonly Func<RelayConfiguration> _freshConfiguration;
    private readonly Func<Model.Gateway, bool> _isDown;
    private readonly Func<Tenant, TenantRuntime> _runtimeOf;

    private RelayHost(IConfigurationStore store, RelayHostOptions options, ILogger logger, TimeProvider timeProvider, X509Certificate2 certificate, bool ownsCertificate, Func<string, string, bool> verifyHash, SslServerAuthenticationOptions serverAuthenticationOptions, IRelayEngine engine)
    {
        Relayer = engine;
        _serverAuthenticationOptions = serverAuthenticationOptions;
        _currentConfiguration = () => Configuration;
        _freshConfiguration = FreshConfiguration;
        _isDown = IsDown;
        _runtimeOf = RuntimeOf;
        _store = store;
        Options = options;
        Logger = logger;
        TimeProvider = timeProvider;
        _ownsCertificate = ownsCertificate;
        _presentedCertificate = certificate;
        if (ownsCertificate)
        {
            _ownedCertificates.Add(certificate);
            _renewal = new CertificateRenewal(store, timeProvider, logger, options.AutoSwitchDays);
        }

        _certificateThumbprint = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        _verifier = new CredentialVerifier(verifyHash, options.MaxConcurrentPasswordChecks);
        SharedSessions = new SharedSessions(store, options.ServerName);
        SourceThrottle = new SourceThrottle(options.SourceThrottle);
        Metrics = new RelayMetrics(this, options.PerTenantMetrics ? GetTenantFigures : null);
        _admission = new Admission(store, _verifier, options.LockoutPolicy, timeProvider, logger, SharedSessions, SourceThrottle, Metrics);
        ConnectionContext = new ConnectionContext(timeProvider, logger, options, this, this, SharedSessions, Metrics);
        Started = timeProvider.GetUtcNow();
        ConfigurationCheckedAt = Started;
    }

    /// <summary>The options the host was started with.</summary>
    public RelayHostOptions Options { get; }

    /// <summary>Where the host reads its configuration (the store's location, secrets removed).</summary>
    public string StoreLocation => _store.Location;

    /// <summary>The engine relaying this host's connections: Native or Managed.</summary>
    public RelayEngine Engine => Relayer.Kind;

    /// <summary>When the host started.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>Where the host is in its life.</summary>
    public RelayHostState State => (RelayHostState)Volatile.Read(ref _state);

    /// <summary>
    /// The change counter of the configuration the host serves now, moved only once all of it is applied (tenants'
    /// sessions closed, listeners started or stopped): a caller waiting for a change can rely on its effects.
    /// </summary>
    public long ConfigurationChangeCounter => Volatile.Read(ref _appliedChangeCounter);

    /// <summary>When the host last read the store's change counter successfully (its start, until the first poll).</summary>
    public DateTimeOffset ConfigurationCheckedAt { get; private set; }

    /// <summary>How long the last configuration change took from noticing it to serving it; zero before the first one.</summary>
    public TimeSpan LastReloadDuration { get; private set; }

    /// <summary>Since when the configuration store has been unreachable (the host serves its last configuration meanwhile), or null.</summary>
    public DateTimeOffset? StoreUnavailableSince { get; private set; }

    /// <summary>The admin listener serving GET /metrics and /status (the port really bound), or null when <see cref="RelayHostOptions.MetricsListener"/> is not set.</summary>
    public IPEndPoint? MetricsEndPoint => _metricsEndpoint?.LocalEndPoint;

    /// <summary>Completes when the host has stopped, however it was stopped.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The SHA-256 thumbprint of the certificate new handshakes present; it follows the configuration's active certificate.</summary>
    public string CertificateThumbprint => Volatile.Read(ref _certificateThumbprint);

    /// <summary>The protocols and certificate every managed-engine handshake uses; one certificate context for all of them.</summary>
    internal SslServerAuthenticationOptions ServerAuthenticationOptions => Volatile.Read(ref _serverAuthenticationOptions);

    /// <summary>The engine relaying this host's connections, chosen once at start.</summary>
    internal IRelayEngine Relayer { get; }

    /// <summary>What every connection of this host is given.</summary>
    internal ConnectionContext ConnectionContext { get; }

    internal ILogger Logger { get; }

    internal TimeProvider TimeProvider { get; }

    internal SharedSessions SharedSessions { get; }

    internal SourceThrottle SourceThrottle { get; }

    /// <summary>The host's instruments on the CloudGateway meter.</summary>
    internal RelayMetrics Metrics { get; }

    internal PasswordCheckGate PasswordChecks => _verifier.Gate;

    private RelayConfiguration Configuration
    {
        get => Volatile.Read(ref _configuration);
        set => Volatile.Write(ref _configuration, value);
    }

    /// <summary>
    /// Reads the configuration, loads the certificate (<see cref="RelayHostOptions.Certificate"/>, else the
    /// store's gateway certificate) and starts a listener for every gateway this host serves. A gateway whose
    /// endpoint cannot be bound is reported by <see cref="GetGatewayStatistics"/> with its error, and retried
    /// on the next configuration change. Throws a <see cref="GatewayException"/> (ValidationFailed,
    /// CertificateError, or the store's code) when the host cannot start at all.
    /// </summary>
    public static Task<RelayHost> StartAsync(
        IConfigurationStore store,
        RelayHostOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default) =>
        StartWithVerifierAsync(store, options, loggerFactory, timeProvider, PasswordHasher.Verify, cancellationToken);

    internal static Task<RelayHost> StartWithVerifierAsync(
        IConfigurationStore store,
        RelayHostOptions? options,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        Func<string, string, bool> verifyHash,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new RelayHostOptions();
        GatewayException.ThrowIfInvalid("The relay host options", null, options.Validate());
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = store.ReadSnapshot();
        var (certificate, owned) = options.Certificate is { } given ? (given, false) : (LoadCertificate(store), true);
        ILogger logger = new EscapingLogger((loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("CloudGateway.Relay"));
        var serverAuthenticationOptions = ServerOptions(certificate);
        IRelayEngine engine;
        try
        {
            engine = RelayEngineChoice.Start(options.Engine, certificate, serverAuthenticationOptions, logger);
        }
        catch
        {
            if (owned)
            {
                certificate.Dispose();
            }

            throw;
        }

        var host = new RelayHost(store, options, logger, timeProvider ?? TimeProvider.System, certificate, owned, verifyHash, serverAuthenticationOptions, engine);
        try
        {
            host.StartMetricsListener();
        }
        catch (GatewayException)
        {
            host.AbandonStart();
            throw;
        }
        RelayLog.EngineSelected(logger, host.Engine);
        host.Apply(new RelayConfiguration(snapshot));
        host._pollLoop = host.PollLoopAsync(host._stopping.Token);
        host._leaseLoop = host.SharedSessions.Enabled ? host.LeaseLoopAsync(host._stopping.Token) : Task.CompletedTask;
        var sweepPeriod = TimeSpan.FromTicks(Math.Clamp(Math.Min(options.HandshakeTimeout.Ticks, options.IdleTimeout.Ticks) / 4, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond));
        host._sweeper = host.TimeProvider.CreateTimer(static state => ((RelayHost)state!).Sweep(), host, sweepPeriod, sweepPeriod);
        Volatile.Write(ref host._state, (int)RelayHostState.Running);
        RelayLog.HostStarted(logger, options.ServerName, host.GetGatewayStatistics().Count(g => g.Listening), store.Location);
        return Task.FromResult(host);
    }

    /// <summary>
    /// Whether every thread the relay engine runs on took a work item within <paramref name="timeout"/>: false when
    /// a loop is stuck, so a watchdog (systemd's WatchdogSec) can restart the process instead of keeping it alive.
    /// </summary>
    public async Task<bool> IsResponsiveAsync(TimeSpan timeout)
    {
        try
        {
            await Relayer.WhenResponsiveAsync().WaitAsync(timeout, TimeProvider).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Every gateway this host serves, and those still draining after being disabled or removed.</summary>
    public IReadOnlyList<GatewayStatistics> GetGatewayStatistics()
    {
        lock (_gatewayGate)
        {
            return _gateways.Values.Concat(_retired).Select(g => g.GetStatistics()).ToList();
        }
    }

    /// <summary>The sessions relaying bytes now.</summary>
    public IReadOnlyList<RelaySessionInfo> GetSessions() =>
        _connections.Values.Where(c => c.IsSession).Select(c => c.ToInfo()).OrderBy(s => s.Started).ToList();

    /// <summary>
    /// Stops accepting at once, lets live sessions finish for up to <paramref name="drainTimeout"/>
    /// (default <see cref="RelayHostOptions.DrainTimeout"/>), then closes the rest; returns when the host has
    /// stopped. Cancelling <paramref name="cancellationToken"/> cuts the drain short. Safe to call more than once.
    /// </summary>
    public Task StopAsync(TimeSpan? drainTimeout = null, CancellationToken cancellationToken = default)
    {
        Task stopTask;
        lock (_stopGate)
        {
            _stopTask ??= StopCoreAsync(drainTimeout ?? Options.DrainTimeout);
            stopTask = _stopTask;
        }

        if (cancellationToken.CanBeCanceled && !stopTask.IsCompleted)
        {
            return WaitWithCutAsync(stopTask, cancellationToken);
        }

        return stopTask;
    }

    /// <summary>Stops the host without draining: live sessions are closed at once.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.Zero).ConfigureAwait(false);

    bool IConnectionRegistry.Running => State == RelayHostState.Running;

    async ValueTask<AdmissionResult> IHelloAdmission.AdmitAsync(Hello hello, GatewayRuntime gateway, EndPoint? remote)
    {
        var started = TimeProvider.GetTimestamp();
        var result = hello.Resumable ? await AdmitResumableAsync(hello, gateway, remote).ConfigureAwait(false) : AdmitPlain(hello, gateway, remote);
        Metrics.Admitted(gateway.Name, TimeProvider.GetElapsedTime(started));
        return result;
    }

    bool IHelloAdmission.CanAdmitAtOnce(Hello hello) => !hello.Resumable && _admission.CanDecideAtOnce(hello, Configuration);

    private AdmissionResult AdmitPlain(Hello hello, GatewayRuntime gateway, EndPoint? remote) =>
        _admission.Admit(hello, _currentConfiguration, _freshConfiguration, gateway, remote, _isDown, _runtimeOf);

    long IConnectionRegistry.NextId() => Interlocked.Increment(ref _nextConnectionId);

    void IConnectionRegistry.Add(RelayConnection connection) => _connections[connection.Id] = connection;

    void IConnectionRegistry.Remove(RelayConnection connection)
    {
        _connections.TryRemove(connection.Id, out _);
        if (_connections.IsEmpty && State >= RelayHostState.Draining)
        {
            _allClosed.TrySetResult();
        }
    }

    private TenantRuntime RuntimeOf(Tenant tenant) => _tenants.GetOrAdd(tenant.Id, static (_, state) => state.Host.NewRuntime(state.Tenant), (Host: this, Tenant: tenant));

    private TenantRuntime NewRuntime(Tenant tenant)
    {
        var runtime = new TenantRuntime(tenant.Id, tenant.Name, TimeProvider);
        runtime.ApplyLimits(tenant);
        return runtime;
    }

    /// <summary>The protocols and certificate every managed handshake uses; one certificate context for all of them.</summary>
    private static SslServerAuthenticationOptions ServerOptions(X509Certificate2 certificate) => new()
    {
        ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
        AllowTlsResume = true,
    };

    private static X509Certificate2 LoadCertificate(IConfigurationStore store)
    {
        var pkcs12 = store.GetGatewayCertificate()
            ?? throw new GatewayException(GatewayErrorCode.CertificateError, "The configuration has no gateway certificate; create one with New-CloudGatewayCertificate or set one with Set-CloudGatewayCertificate.");
        X509Certificate2 certificate;
        try
        {
            var flags = OperatingSystem.IsLinux() ? X509KeyStorageFlags.EphemeralKeySet : X509KeyStorageFlags.DefaultKeySet;
            certificate = new X509Certificate2(pkcs12, (string?)null, flags);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, "The gateway certificate in the configuration cannot be read.", null, ex);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new GatewayException(GatewayErrorCode.CertificateError, "The gateway certificate in the configuration has no private key.");
        }

        return certificate;
    }

    private async Task WaitWithCutAsync(Task stopTask, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(static state => ((RelayHost)state!).CutDrain(), this))
        {
            await stopTask.ConfigureAwait(false);
        }
    }

    private void CutDrain()
    {
        lock (_stopGate)
        {
            if (State != RelayHostState.Stopped)
            {
                _cutDrain.Cancel();
            }
        }
    }
}
