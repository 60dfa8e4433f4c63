using CloudGateway.Metrics;

namespace CloudGateway.Relay;

/// <summary>The host's metrics: the admin listener serving them, and the per-tenant figures it may observe.</summary>
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
        try
        {
            _metricsEndpoint = MetricsEndpoint.Start(listener, _collector.Scrape);
        }
        catch (GatewayException)
        {
            _collector.Dispose();
            _collector = null;
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
        Metrics.Dispose();
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
