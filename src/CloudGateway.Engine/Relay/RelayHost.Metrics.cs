using CloudGateway.Metrics;
using CloudGateway.Status;

namespace CloudGateway.Relay;

/// <summary>The host's admin listener: metrics for Prometheus at /metrics, the status page at /status, and the figures they show.</summary>
public sealed partial class RelayHost
{
    /// <summary>Starts the collector and the admin listener when the options ask for them; RelayError when the listener cannot bind.</summary>
    private void StartMetricsListener()
    {
        if (Options.MetricsListener is not { } listener)
        {
            return;
        }

        _collector = new MetricsCollector(Metrics.Meter);
        _throughput = new ThroughputSampler(GatewayBytes, TimeProvider);
        var routes = new Dictionary<string, Func<AdminPage>>(StringComparer.Ordinal)
        {
            ["/metrics"] = () => new AdminPage(_collector.Scrape(), PrometheusText.ContentType),
            ["/status"] = () => new AdminPage(StatusPage.Render(GetStatusSnapshot()), "text/html; charset=utf-8"),
        };
        try
        {
            _metricsEndpoint = AdminEndpoint.Start(listener, routes);
        }
        catch (GatewayException)
        {
            _collector.Dispose();
            _collector = null;
            _throughput.Dispose();
            _throughput = null;
            throw;
        }

        RelayLog.MetricsListening(Logger, _metricsEndpoint.LocalEndPoint, listener.BearerToken is not null);
    }

    /// <summary>Stops the admin listener and the meter, once the relay itself has stopped.</summary>
    private async Task StopMetricsAsync()
    {
        if (_metricsEndpoint is not null)
        {
            await _metricsEndpoint.DisposeAsync().ConfigureAwait(false);
        }

        _collector?.Dispose();
        _throughput?.Dispose();
        Metrics.Dispose();
    }

    /// <summary>What the status page shows now: gateways with their refusals and rates, the busiest tenants, the certificate and the configuration's freshness.</summary>
    private StatusSnapshot GetStatusSnapshot()
    {
        var gateways = GetGatewaysByName().Select(g =>
        {
            var (rateIn, rateOut) = _throughput?.RateOf(g.Figures.Gateway, g.Figures.BytesIn, g.Figures.BytesOut) ?? (0, 0);
            return new GatewayStatus(g.Figures, g.Refusals, rateIn, rateOut);
        }).ToList();

        var busiest = GetTenantFigures().Where(t => t.Sessions > 0 || t.BytesIn + t.BytesOut > 0)
            .OrderByDescending(t => t.BytesIn + t.BytesOut).ThenByDescending(t => t.Sessions).ThenBy(t => t.Tenant, StringComparer.OrdinalIgnoreCase)
            .Take(StatusPage.BusiestTenants).ToList();
        var presented = Volatile.Read(ref _presentedCertificate);
        var certificate = new CertificateStatus(presented.Subject, CertificateThumbprint, new DateTimeOffset(presented.NotAfter.ToUniversalTime()));
        var configuration = new ConfigurationStatus(ConfigurationChangeCounter, ConfigurationCheckedAt, LastReloadDuration, StoreUnavailableSince);
        return new StatusSnapshot(Options.ServerName, Engine, State, Started, TimeProvider.GetUtcNow(), certificate, configuration, gateways, busiest);
    }

    private Dictionary<string, (long In, long Out)> GatewayBytes() =>
        GetGatewaysByName().ToDictionary(g => g.Figures.Gateway, g => (g.Figures.BytesIn, g.Figures.BytesOut), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// One entry per gateway name: a gateway re-enabled (or retried after a failed bind) while its previous listener
    /// still drains has two runtimes, whose figures are added up here under the live one's endpoint and state.
    /// </summary>
    internal List<(GatewayStatistics Figures, IReadOnlyDictionary<string, long> Refusals)> GetGatewaysByName()
    {
        List<(GatewayStatistics Figures, IReadOnlyDictionary<string, long> Refusals)> runtimes;
        lock (_gatewayGate)
        {
            runtimes = _gateways.Values.Concat(_retired).Select(g => (g.GetStatistics(), g.GetRefusalsByReason())).ToList();
        }

        return runtimes.GroupBy(r => r.Item1.Gateway, StringComparer.OrdinalIgnoreCase).Select(group =>
        {
            var all = group.ToList();
            var lead = all.FirstOrDefault(r => r.Item1.Listening).Item1 ?? all[0].Item1;
            var figures = lead with
            {
                Connections = all.Sum(r => r.Item1.Connections),
                Sessions = all.Sum(r => r.Item1.Sessions),
                SessionsAccepted = all.Sum(r => r.Item1.SessionsAccepted),
                Refusals = all.Sum(r => r.Item1.Refusals),
                BytesIn = all.Sum(r => r.Item1.BytesIn),
                BytesOut = all.Sum(r => r.Item1.BytesOut),
            };
            var refusals = all.SelectMany(r => r.Item2).GroupBy(r => r.Key, StringComparer.Ordinal)
                .ToDictionary(r => r.Key, r => r.Sum(x => x.Value), StringComparer.Ordinal);
            return (figures, (IReadOnlyDictionary<string, long>)new SortedDictionary<string, long>(refusals, StringComparer.Ordinal));
        }).ToList();
    }

    /// <summary>Releases what the constructor took when the host cannot start after all.</summary>
    private void AbandonStart()
    {
        Metrics.Dispose();
        Relayer.Dispose();
        _verifier.Dispose();
        SharedSessions.Dispose();
        DisposeCertificates();

        _stopping.Dispose();
        _cutDrain.Dispose();
    }

    /// <summary>Each tenant with a runtime on this host: sessions now, and bytes of its ended and live sessions.</summary>
    private IEnumerable<TenantFigures> GetTenantFigures()
    {
        var live = _connections.Values.Where(c => c.IsSession && c.Runtime is not null)
            .GroupBy(c => c.Runtime!)
            .ToDictionary(g => g.Key, g => (In: g.Sum(c => c.Bytes.Up), Out: g.Sum(c => c.Bytes.Down)));
        foreach (var runtime in _tenants.Values)
        {
            var (endedIn, endedOut) = runtime.EndedBytes;
            var (liveIn, liveOut) = live.GetValueOrDefault(runtime);
            yield return new TenantFigures(runtime.Name, runtime.Sessions, endedIn + liveIn, endedOut + liveOut);
        }
    }
}
