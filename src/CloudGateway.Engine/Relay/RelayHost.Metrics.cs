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
        List<GatewayStatus> gateways;
        lock (_gatewayGate)
        {
            gateways = _gateways.Values.Concat(_retired).Select(g =>
            {
                var figures = g.GetStatistics();
                var (rateIn, rateOut) = _throughput?.RateOf(figures.Gateway, figures.BytesIn, figures.BytesOut) ?? (0, 0);
                return new GatewayStatus(figures, g.GetRefusalsByReason(), rateIn, rateOut);
            }).ToList();
        }

        var busiest = GetTenantFigures().Where(t => t.Sessions > 0 || t.BytesIn + t.BytesOut > 0)
            .OrderByDescending(t => t.BytesIn + t.BytesOut).ThenByDescending(t => t.Sessions).ThenBy(t => t.Tenant, StringComparer.OrdinalIgnoreCase)
            .Take(StatusPage.BusiestTenants).ToList();
        var presented = Volatile.Read(ref _presentedCertificate);
        var certificate = new CertificateStatus(presented.Subject, CertificateThumbprint, new DateTimeOffset(presented.NotAfter.ToUniversalTime()));
        var configuration = new ConfigurationStatus(ConfigurationChangeCounter, ConfigurationCheckedAt, LastReloadDuration, StoreUnavailableSince);
        return new StatusSnapshot(Options.ServerName, Engine, State, Started, TimeProvider.GetUtcNow(), certificate, configuration, gateways, busiest);
    }

    private Dictionary<string, (long In, long Out)> GatewayBytes()
    {
        lock (_gatewayGate)
        {
            return _gateways.Values.Concat(_retired).Select(g => g.GetStatistics()).ToDictionary(g => g.Gateway, g => (g.BytesIn, g.BytesOut), StringComparer.OrdinalIgnoreCase);
        }
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
