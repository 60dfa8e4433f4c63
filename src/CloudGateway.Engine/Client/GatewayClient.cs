using CloudGateway.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudGateway.Client;

/// <summary>
/// The tenant's side of the cloud gateway, for embedding in tenant software: opens a byte stream to a resource
/// through the first gateway that serves, trying the provider's gateways in the order it gave them (pools
/// first, fallback last; gateways in cool-down after every other), refreshing and keeping the gateway list from
/// every accepted answer. Thread-safe: one client may open many connections at once.
/// </summary>
public sealed class GatewayClient
{
    private readonly object _gate = new();
    private readonly IGatewayListStore? _listStore;
    private readonly GatewayClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly GatewayDialer _dialer;
    private IReadOnlyList<KnownGateway> _gateways;
    private DateTimeOffset? _refreshedAt;
    private CertificatePins _pins;

    /// <summary>
    /// Creates a client. <paramref name="listStore"/> keeps the list between runs (the provider store does);
    /// without it the list lives as long as the client.
    /// </summary>
    public GatewayClient(GatewayClientSettings settings, IGatewayListStore? listStore = null, GatewayClientOptions? options = null,
        TimeProvider? timeProvider = null, ILogger<GatewayClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings.Validated();
        _options = options ?? GatewayClientOptions.Default;
        _options.Validate();
        _listStore = listStore;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<GatewayClient>.Instance;
        _pins = new CertificatePins(Settings.CertificateThumbprint, Settings.NextCertificateThumbprint, Settings.NextCertificateLearned);
        _dialer = new GatewayDialer(Settings, () => Pins, _options, _timeProvider);
        (_gateways, _refreshedAt) = listStore?.Load() ?? ([], null);
    }

    /// <summary>The validated settings (thumbprint normalised).</summary>
    public GatewayClientSettings Settings { get; }

    /// <summary>The gateway list as last received, with each gateway's health.</summary>
    public IReadOnlyList<KnownGateway> Gateways
    {
        get
        {
            lock (_gate)
            {
                return _gateways;
            }
        }
    }

    /// <summary>The certificates the client accepts now: the pin and what it learned from the gateways' answers.</summary>
    public CertificatePins Pins
    {
        get
        {
            lock (_gate)
            {
                return _pins;
            }
        }
    }

    /// <summary>When the list was last refreshed from a gateway, or null before the first accepted answer.</summary>
    public DateTimeOffset? RefreshedAt
    {
        get
        {
            lock (_gate)
            {
                return _refreshedAt;
            }
        }
    }

    /// <summary>
    /// Opens a raw byte stream to the tenant's resource through the first gateway that accepts. Refusals that
    /// concern the tenant (credentials, lockout, unknown resource) stop at once as Refused; when no gateway serves,
    /// NoGatewayAvailable lists every gateway tried and why.
    /// </summary>
    public async Task<GatewayStream> OpenResourceAsync(string resourceName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(resourceName))
        {
            GatewayException.ThrowIfInvalid("The resource name", resourceName, [new ValidationProblem("Resource", "is empty")]);
        }

        var hello = new Hello { Tenant = Settings.Credential.UserName, Password = Settings.Credential.Password, Resource = resourceName };
        return await ConnectAsync(hello, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a resumable byte stream to the tenant's resource, through the first gateway that accepts: when its
    /// connection breaks, the stream reconnects by itself and goes on with no byte lost or repeated, within the grace
    /// period the gateway gave. Throws a ProtocolViolation when the gateway does not offer resumable sessions.
    /// </summary>
    public async Task<ResumableGatewayStream> OpenResumableAsync(string resourceName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(resourceName))
        {
            GatewayException.ThrowIfInvalid("The resource name", resourceName, [new ValidationProblem("Resource", "is empty")]);
        }

        var hello = new Hello { Tenant = Settings.Credential.UserName, Password = Settings.Credential.Password, Resource = resourceName, Resumable = true };
        var connection = await ConnectAsync(hello, cancellationToken).ConfigureAwait(false);
        return ResumableGatewayStream.Start(this, resourceName, connection, _options.ResumableSilenceLimit, _timeProvider, _logger);
    }

    /// <summary>Asks the first gateway that answers for the current gateway list (a list-only hello) and keeps it.</summary>
    public Task<IReadOnlyList<KnownGateway>> RefreshAsync(CancellationToken cancellationToken) => RefreshAsync(null, cancellationToken);

    /// <summary>Refreshes like <see cref="RefreshAsync(CancellationToken)"/>, reporting each gateway tried (n of m) to <paramref name="progress"/>.</summary>
    public async Task<IReadOnlyList<KnownGateway>> RefreshAsync(IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        var hello = new Hello { Tenant = Settings.Credential.UserName, Password = Settings.Credential.Password, ListOnly = true };
        var connection = await ConnectAsync(hello, progress, cancellationToken).ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
        return Gateways;
    }

    /// <summary>
    /// Tests every known gateway (or the initial contact before any list is known) step by step with a list-only
    /// hello. Changes neither the list nor the health.
    /// </summary>
    public Task<IReadOnlyList<GatewayProbeResult>> ProbeAsync(CancellationToken cancellationToken) => ProbeAsync(null, cancellationToken);

    /// <summary>Tests like <see cref="ProbeAsync(CancellationToken)"/>, reporting each gateway (n of m) to <paramref name="progress"/> before it is tested.</summary>
    public async Task<IReadOnlyList<GatewayProbeResult>> ProbeAsync(IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        var results = new List<GatewayProbeResult>();
        var hello = new Hello { Tenant = Settings.Credential.UserName, Password = Settings.Credential.Password, ListOnly = true };
        var candidates = Candidates();
        foreach (var gateway in candidates)
        {
            ReportGateway(progress, "Testing", results.Count, candidates.Count, gateway);
            results.Add(await ProbeAsync(gateway, hello, cancellationToken).ConfigureAwait(false));
        }

        progress?.Report(WorkProgress.Step(candidates.Count, candidates.Count, $"{candidates.Count} gateway(s) tested"));
        return results;
    }

    private static void ReportGateway(IProgress<WorkProgress>? progress, string verb, int index, int count, KnownGateway gateway) =>
        progress?.Report(WorkProgress.Step(index, count, $"{verb} gateway {index + 1} of {count}", $"{gateway.Name} ({gateway.Endpoint})"));

    private async Task<GatewayProbeResult> ProbeAsync(KnownGateway gateway, Hello hello, CancellationToken cancellationToken)
    {
        var trace = new DialTrace();
        string? error = null;
        var authenticated = false;
        try
        {
            var (answer, connection) = await _dialer.DialAsync(gateway, hello, trace, cancellationToken).ConfigureAwait(false);
            authenticated = answer.Accepted;
            error = answer.Accepted ? null : $"refused: {answer.Reason}";
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (GatewayException ex)
        {
            error = ex.Message;
        }

        return new GatewayProbeResult
        {
            Gateway = gateway.Name,
            Endpoint = gateway.Endpoint,
            Fallback = gateway.Fallback,
            TcpConnected = trace.TcpLatency is not null,
            Latency = trace.TcpLatency,
            TlsProtocol = trace.TlsProtocol,
            CertificateThumbprint = trace.CertificateThumbprint,
            CertificateExpires = trace.CertificateExpires,
            CertificateValid = trace.CertificateThumbprint is not null && trace.CertificateFailure is null,
            Authenticated = authenticated,
            Error = error,
        };
    }

    /// <summary>Sends a resume hello to <paramref name="gateway"/> alone: the gateway's answer, and the connection when it accepted.</summary>
    internal async Task<(HelloAnswer Answer, GatewayStream? Connection)> ResumeAsync(KnownGateway gateway, string resourceName, string token, long received, CancellationToken cancellationToken)
    {
        ReloadPins();
        var hello = new Hello { Tenant = Settings.Credential.UserName, Password = Settings.Credential.Password, Resource = resourceName, Resume = token, Received = received };
        var trace = new DialTrace();
        var (answer, connection) = await _dialer.DialAsync(gateway, hello, trace, cancellationToken).ConfigureAwait(false);
        if (connection is not null)
        {
            connection.Gateway = gateway;
            Learn(trace.CertificateThumbprint, answer.NextCertificate);
        }

        return (answer, connection);
    }

    internal string ProviderLabel => ProviderName;

    private async Task<GatewayStream> ConnectAsync(Hello hello, CancellationToken cancellationToken) => await ConnectAsync(hello, null, cancellationToken).ConfigureAwait(false);

    private async Task<GatewayStream> ConnectAsync(Hello hello, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        ReloadPins();
        var attempts = new List<(GatewayAttempt Attempt, GatewayErrorCode Code, string? Reason)>();
        var candidates = Candidates();
        foreach (var gateway in candidates)
        {
            ReportGateway(progress, "Trying", attempts.Count, candidates.Count, gateway);
            var started = _timeProvider.GetTimestamp();
            try
            {
                var trace = new DialTrace();
                var (answer, connection) = await _dialer.DialAsync(gateway, hello, trace, cancellationToken).ConfigureAwait(false);
                if (connection is not null)
                {
                    connection.Gateway = Accepted(gateway, answer) ?? gateway;
                    Learn(trace.CertificateThumbprint, answer.NextCertificate);
                    ClientLog.Connected(_logger, gateway.Name, gateway.Endpoint, ProviderName, answer.SessionId);
                    if (attempts.Count > 0)
                    {
                        ClientLog.FailedOver(_logger, gateway.Name, ProviderName, attempts.Count, string.Join(", ", attempts.Select(a => a.Attempt.Gateway)));
                        ClientMetrics.FailedOver(ProviderName);
                    }
                    return connection;
                }

                var reason = answer.Reason!;
                var failure = $"refused: {reason}";
                if (!RefusalPolicy.IsPerGateway(reason))
                {
                    throw GatewayRefusal.Create(
                        $"Gateway {gateway.Name} ({gateway.Endpoint}) refused tenant '{hello.Tenant}' of {ProviderName}: {reason}.", reason, hello.Resource ?? ProviderName);
                }

                if (RefusalPolicy.CountsAgainstGateway(reason))
                {
                    Failed(gateway, failure);
                }

                attempts.Add((new GatewayAttempt(gateway.Name, gateway.Endpoint, failure, _timeProvider.GetElapsedTime(started)), GatewayErrorCode.Refused, reason));
            }
            catch (GatewayException ex) when (ex.Code is GatewayErrorCode.NoGatewayAvailable or GatewayErrorCode.CertificateMismatch or GatewayErrorCode.ProtocolViolation)
            {
                Failed(gateway, ex.Message);
                attempts.Add((new GatewayAttempt(gateway.Name, gateway.Endpoint, ex.Message, _timeProvider.GetElapsedTime(started)), ex.Code, null));
                ClientLog.GatewayFailed(_logger, gateway.Name, gateway.Endpoint, ProviderName, ex.Message);
            }
        }

        throw NothingServed(hello, attempts);
    }

    private GatewayException NothingServed(Hello hello, List<(GatewayAttempt Attempt, GatewayErrorCode Code, string? Reason)> attempts)
    {
        var target = hello.Resource ?? ProviderName;
        var tried = string.Join("; ", attempts.Select(a => a.Attempt.ToString()));
        if (attempts.Count > 0 && attempts.All(a => a.Code == GatewayErrorCode.CertificateMismatch))
        {
            return new GatewayException(GatewayErrorCode.CertificateMismatch, $"No gateway of {ProviderName} presented an acceptable certificate; no credential was sent. Tried: {tried}.", target);
        }

        if (attempts.Count > 0 && attempts.All(a => a.Code == GatewayErrorCode.Refused))
        {
            return GatewayRefusal.Create($"Every gateway of {ProviderName} refused tenant '{hello.Tenant}'. Tried: {tried}.", attempts[^1].Reason!, target);
        }

        return new GatewayException(GatewayErrorCode.NoGatewayAvailable, $"No gateway of {ProviderName} could be reached. Tried: {tried}.", target);
    }

    private string ProviderName => Settings.Name ?? Settings.Address;

    // Listed gateways in the provider's order, those in cool-down moved after every other (soonest back first),
    // then the initial contact unless the list already holds it.
    private List<KnownGateway> Candidates()
    {
        var now = _timeProvider.GetUtcNow();
        var gateways = Gateways;
        var candidates = gateways.Where(g => g.Health.IsAvailable(now)).ToList();
        candidates.AddRange(gateways.Where(g => !g.Health.IsAvailable(now)).OrderBy(g => g.Health.CoolDownUntil));

        if (!gateways.Any(g => g.IsAt(Settings.Address, Settings.Port)))
        {
            candidates.Add(new KnownGateway { Name = Settings.Address, Address = Settings.Address, Port = Settings.Port });
        }

        return candidates;
    }

    private void Failed(KnownGateway gateway, string failure)
    {
        var now = _timeProvider.GetUtcNow();
        GatewayHealth? health = null;
        lock (_gate)
        {
            _gateways = [.. _gateways.Select(g => g.Name == gateway.Name && g.IsAt(gateway.Address, gateway.Port)
                ? g with { Health = health = g.Health.AfterFailure(now, failure, _options) }
                : g)];
        }

        if (health is not null)
        {
            Persist(store => store.SaveHealth(gateway.Name, health));
        }
    }

    // Returns the list's entry for the gateway that accepted (the initial contact gets its real name here).
    private KnownGateway? Accepted(KnownGateway gateway, HelloAnswer answer)
    {
        var now = _timeProvider.GetUtcNow();
        IReadOnlyList<KnownGateway> list;
        KnownGateway? entry;
        lock (_gate)
        {
            var previous = _gateways;
            var known = answer.Gateways.Count > 0
                ? answer.Gateways.Select(e => KnownGateway.From(e, previous.FirstOrDefault(p => p.Name == e.Name && p.IsAt(e.Address, e.Port))?.Health ?? GatewayHealth.Unknown))
                : previous;
            list = _gateways = [.. known.Select(g => g.IsAt(gateway.Address, gateway.Port) ? g with { Health = g.Health.AfterSuccess(now) } : g)];
            entry = list.FirstOrDefault(g => g.IsAt(gateway.Address, gateway.Port));
            if (answer.Gateways.Count > 0)
            {
                _refreshedAt = now;
            }
        }

        if (answer.Gateways.Count > 0)
        {
            Persist(store => store.SaveList(list, now));
        }
        else if (entry is not null)
        {
            Persist(store => store.SaveHealth(entry.Name, entry.Health));
        }

        return entry;
    }

    // The stored pins win over the ones in memory: an administrator may have re-pinned (or revoked a pin) since the
    // client started. A store that cannot be read leaves the pins as they are.
    private void ReloadPins()
    {
        if (_listStore is not ICertificatePinStore store)
        {
            return;
        }

        try
        {
            var stored = store.LoadPins();
            lock (_gate)
            {
                _pins = stored;
            }
        }
        catch (GatewayException ex)
        {
            ClientLog.PinsNotRead(_logger, ProviderName, ex.Message);
        }
    }

    // What an accepted connection taught about the provider's certificates, kept when it changed anything.
    private void Learn(string? presented, string? announced)
    {
        CertificatePins before, after;
        lock (_gate)
        {
            before = _pins;
            after = _pins = before.After(presented, announced, _timeProvider.GetUtcNow());
        }

        if (after != before)
        {
            ClientLog.PinsLearned(_logger, ProviderName, after.Thumbprint, after.NextThumbprint);
            Persist(store => (store as ICertificatePinStore)?.SavePins(after));
        }
    }

    // The connection already works; a store that cannot be written must not break it, only be reported.
    private void Persist(Action<IGatewayListStore> save)
    {
        if (_listStore is null)
        {
            return;
        }

        try
        {
            save(_listStore);
        }
        catch (GatewayException ex)
        {
            _logger.LogWarning(ex, "The gateway list could not be saved: {Failure}", ex.Message);
        }
    }
}
