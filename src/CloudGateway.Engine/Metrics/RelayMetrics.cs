using System.Diagnostics.Metrics;
using CloudGateway.Relay;

namespace CloudGateway.Metrics;

/// <summary>
/// One relay host's instruments on a <see cref="Meter"/> named <see cref="MeterName"/>. Figures the relay keeps
/// anyway (connections, sessions, bytes, listener state) are observed only when a listener collects, so the relay
/// path pays nothing for them; events nothing counted before (refusals by reason, lockouts, reloads, durations)
/// are recorded as they happen. Instrument names follow OpenTelemetry's style; docs/metrics.md lists their
/// Prometheus names.
/// </summary>
internal sealed class RelayMetrics : IDisposable
{
    /// <summary>The meter's name, for any System.Diagnostics.Metrics consumer (OpenTelemetry's AddMeter, dotnet-counters).</summary>
    public const string MeterName = "CloudGateway";

    private readonly Counter<long> _refusals;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _reloads;
    private readonly Histogram<double> _handshake;
    private readonly Histogram<double> _admission;
    private readonly Histogram<double> _reload;

    public RelayMetrics(RelayHost host, Func<IEnumerable<TenantFigures>>? tenants)
    {
        Meter = new Meter(MeterName);
        Meter.CreateObservableUpDownCounter("cloudgateway.gateway.connections", () => PerGateway(host, g => g.Connections), "{connection}", "Open connections, handshaking and relaying.");
        Meter.CreateObservableUpDownCounter("cloudgateway.gateway.sessions", () => PerGateway(host, g => g.Sessions), "{session}", "Sessions relaying bytes now.");
        Meter.CreateObservableCounter("cloudgateway.gateway.sessions.accepted", () => PerGateway(host, g => g.SessionsAccepted), "{session}", "Sessions accepted since the gateway's listener started.");
        Meter.CreateObservableCounter("cloudgateway.gateway.bytes", () => Bytes(host), "By", "Bytes relayed; direction in is tenant to resource.");
        Meter.CreateObservableGauge("cloudgateway.gateway.listening", () => PerGateway(host, g => g.Listening ? 1 : 0), null, "1 while the gateway accepts connections, else 0.");
        Meter.CreateObservableUpDownCounter("cloudgateway.password.checks.running", () => host.PasswordChecks.Running, "{check}", "PBKDF2 password checks running now.");
        Meter.CreateObservableUpDownCounter("cloudgateway.password.checks.waiting", () => host.PasswordChecks.Waiting, "{check}", "Hellos waiting for an identical password check to finish.");
        Meter.CreateObservableGauge("cloudgateway.configuration.version", () => host.ConfigurationChangeCounter, null, "The configuration change counter the relay serves.");
        Meter.CreateObservableGauge("cloudgateway.configuration.store.unavailable", () => host.StoreUnavailableSince is null ? 0 : 1, null, "1 while the configuration store cannot be read (the last configuration is served).");
        Meter.CreateObservableUpDownCounter("cloudgateway.resumable.sessions", () => ResumableSessions(host), "{session}", "Resumable sessions kept: state attached (a connection carries them) or detached (waiting for a resume).");
        Meter.CreateObservableUpDownCounter("cloudgateway.resumable.buffered", () => host.ResumableBufferedBytes, "By", "Memory the resumable sessions' replay and delivery buffers hold now.");
        _refusals = Meter.CreateCounter<long>("cloudgateway.gateway.refusals", "{hello}", "Hellos refused, by refusal reason code.");
        _lockouts = Meter.CreateCounter<long>("cloudgateway.lockouts", "{lockout}", "Lockouts begun: scope source (one address) or tenant (every address but trusted ones).");
        _reloads = Meter.CreateCounter<long>("cloudgateway.configuration.reloads", "{reload}", "Configuration changes read and applied.");
        _handshake = Meter.CreateHistogram<double>("cloudgateway.handshake.duration", "s", "From accept to session start: TLS, hello, admission and the resource's connect.");
        _admission = Meter.CreateHistogram<double>("cloudgateway.admission.duration", "s", "Admitting one hello: lockout, password check, tenant and resource rules.");
        _reload = Meter.CreateHistogram<double>("cloudgateway.configuration.reload.duration", "s", "From noticing a configuration change to serving it: read and apply.");
        if (tenants is not null)
        {
            Meter.CreateObservableUpDownCounter("cloudgateway.tenant.sessions", () => tenants().Select(t => new Measurement<long>(t.Sessions, Tag("tenant", t.Tenant))), "{session}", "Sessions of each tenant on this relay.");
            Meter.CreateObservableCounter("cloudgateway.tenant.bytes", () => TenantBytes(tenants()), "By", "Bytes relayed for each tenant since the relay started; direction in is tenant to resource.");
        }
    }

    public Meter Meter { get; }

    private static IEnumerable<Measurement<long>> ResumableSessions(RelayHost host)
    {
        var detached = host.DetachedResumableSessionCount;
        yield return new Measurement<long>(host.ResumableSessionCount - detached, Tag("state", "attached"));
        yield return new Measurement<long>(detached, Tag("state", "detached"));
    }

    public void Refused(string gateway, string reason) =>
        _refusals.Add(1, new KeyValuePair<string, object?>("gateway", gateway), new KeyValuePair<string, object?>("reason", reason));

    public void LockedOut(string scope) => _lockouts.Add(1, new KeyValuePair<string, object?>("scope", scope));

    public void Reloaded(TimeSpan duration)
    {
        _reloads.Add(1);
        _reload.Record(duration.TotalSeconds);
    }

    public void HandshakeCompleted(string gateway, TimeSpan duration) => _handshake.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("gateway", gateway));

    public void Admitted(string gateway, TimeSpan duration) => _admission.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("gateway", gateway));

    public void Dispose() => Meter.Dispose();

    private static IEnumerable<Measurement<long>> PerGateway(RelayHost host, Func<GatewayStatistics, long> figure) =>
        host.GetGatewaysByName().Select(g => new Measurement<long>(figure(g.Figures), Tag("gateway", g.Figures.Gateway)));

    private static IEnumerable<Measurement<long>> Bytes(RelayHost host)
    {
        foreach (var (gateway, _) in host.GetGatewaysByName())
        {
            yield return new Measurement<long>(gateway.BytesIn, Tag("gateway", gateway.Gateway), Tag("direction", "in"));
            yield return new Measurement<long>(gateway.BytesOut, Tag("gateway", gateway.Gateway), Tag("direction", "out"));
        }
    }

    private static IEnumerable<Measurement<long>> TenantBytes(IEnumerable<TenantFigures> tenants)
    {
        foreach (var tenant in tenants)
        {
            yield return new Measurement<long>(tenant.BytesIn, Tag("tenant", tenant.Tenant), Tag("direction", "in"));
            yield return new Measurement<long>(tenant.BytesOut, Tag("tenant", tenant.Tenant), Tag("direction", "out"));
        }
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
