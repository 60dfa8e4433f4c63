using System.Net;
using CloudGateway.Model;
using CloudGateway.Storage;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Relay;

/// <summary>The host's moving parts: configuration polling, listeners, the timeout sweeper and the drain.</summary>
public sealed partial class RelayHost
{
    private readonly object _gatewayGate = new();
    private readonly Dictionary<string, GatewayRuntime> _gateways = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<GatewayRuntime> _retired = [];

    /// <summary>How often shared session leases are renewed: well within their 15-second lifetime.</summary>
    private static readonly TimeSpan SharedSessionRenewal = TimeSpan.FromSeconds(3);

    private async Task PollLoopAsync(CancellationToken cancellationToken)
    {
        var notifications = _store as IChangeNotifications;
        using var timer = new PeriodicTimer(Options.ConfigurationPollInterval, TimeProvider);
        try
        {
            while (await NextCheckAsync(notifications, timer, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    RefreshIfChanged();
                    ConfigurationCheckedAt = TimeProvider.GetUtcNow();
                    RenewCertificateIfDue();

                    if (StoreUnavailableSince is not null)
                    {
                        StoreUnavailableSince = null;
                        RelayLog.StoreRecovered(Logger);
                    }
                }
#pragma warning disable CA1031 // A store outage of any kind must not stop the relay: it keeps the last configuration and retries.
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    if (StoreUnavailableSince is null)
                    {
                        StoreUnavailableSince = TimeProvider.GetUtcNow();
                        RelayLog.StoreUnavailable(Logger, ex, Configuration.ChangeCounter);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Waits for the next look at the store: an announced change (stores with <see cref="IChangeNotifications"/>)
    /// or the poll interval, whichever comes first; only the poll interval while the store is unreachable.
    /// </summary>
    private async Task<bool> NextCheckAsync(IChangeNotifications? notifications, PeriodicTimer timer, CancellationToken cancellationToken)
    {
        if (notifications is null || StoreUnavailableSince is not null)
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }

        await notifications.WaitForChangeAsync(Configuration.ChangeCounter, Options.ConfigurationPollInterval, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Renews this host's shared session leases and applies each tenant's bandwidth share, every few seconds.</summary>
    private async Task LeaseLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SharedSessionRenewal, TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (SharedSessions.Renew() is not { } servers)
                {
                    continue;
                }

                foreach (var runtime in _tenants.Values)
                {
                    runtime.ServerShare = servers.TryGetValue(runtime.Id, out var count) ? Math.Max(1, count) : 1;
                    if (Configuration.FindTenant(runtime.Id) is { } credential)
                    {
                        runtime.ApplyLimits(credential.Tenant);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Applies what changed in the store since the configuration was read, when its change counter moved: only the
    /// tenants and resources written since (a whole snapshot when the store no longer keeps removals that far back).
    /// </summary>
    private void RefreshIfChanged()
    {
        var current = Configuration;
        if (_store.GetChangeCounter() != current.ChangeCounter)
        {
            var noticed = TimeProvider.GetTimestamp();
            Apply(_store.ReadChangesSince(current.ChangeCounter) is { } changes ? current.Apply(changes) : new RelayConfiguration(_store.ReadSnapshot()));
            LastReloadDuration = TimeProvider.GetElapsedTime(noticed);
            Metrics.Reloaded(LastReloadDuration);
        }
    }

    /// <summary>
    /// The configuration brought up to date first, for an admission about to run a full password check: a tenant
    /// created or a password changed a moment ago is then known (reading the change counter costs far less than the
    /// PBKDF2 check). During a store outage the last configuration stands.
    /// </summary>
    private RelayConfiguration FreshConfiguration()
    {
        try
        {
            RefreshIfChanged();
        }
        catch (GatewayException ex) when (ex.Code == GatewayErrorCode.StoreUnavailable)
        {
            // The poll loop reports the outage; admission goes on with what it has.
        }

        return Configuration;
    }

    /// <summary>Makes <paramref name="configuration"/> current: tenants, buckets, then listeners.</summary>
    private void Apply(RelayConfiguration configuration)
    {
        lock (_gatewayGate)
        {
            Configuration = configuration;
            _admission.OnConfigurationApplied(configuration);
            _verifier.Retain(name => configuration.FindTenant(name) is not null);
            ApplyTenants(configuration);
            if (State <= RelayHostState.Running)
            {
                ApplyGateways(configuration);
            }

            FollowCertificate(configuration);
            Volatile.Write(ref _appliedChangeCounter, configuration.ChangeCounter);
        }

        if (Volatile.Read(ref _state) != (int)RelayHostState.Starting)
        {
            RelayLog.ConfigurationApplied(Logger, configuration.ChangeCounter);
        }
    }

    private void ApplyTenants(RelayConfiguration configuration)
    {
        var now = TimeProvider.GetUtcNow();
        CloseResumableSessionsOfUnfitTenants(configuration, now);
        foreach (var runtime in _tenants.Values)
        {
            var tenant = configuration.FindTenant(runtime.Id)?.Tenant;
            if (tenant is not null)
            {
                runtime.Name = tenant.Name;
            }

            string? closeReason = tenant switch
            {
                null => "tenant-removed",
                { Enabled: false } => "tenant-disabled",
                { LeaseExpiration: { } lease } when lease <= now => "lease-expired",
                _ => null,
            };
            if (closeReason is null)
            {
                runtime.ApplyLimits(tenant!);
                continue;
            }

            var sessions = _connections.Values.Where(c => c.Runtime == runtime).ToList();
            if (sessions.Count > 0)
            {
                RelayLog.TenantSessionsClosed(Logger, sessions.Count, runtime.Name, closeReason);
            }

            foreach (var session in sessions)
            {
                session.Abort(closeReason);
            }

            if (runtime.Sessions == 0 && sessions.Count == 0)
            {
                _tenants.TryRemove(runtime.Id, out _);
            }
        }
    }

    private void ApplyGateways(RelayConfiguration configuration)
    {
        var wanted = configuration.Gateways.Where(g => g.Enabled && IsServedHere(g)).ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var runtime in _gateways.Values.ToList())
        {
            if (wanted.TryGetValue(runtime.Name, out var gateway) && SameEndPoint(runtime.Gateway, gateway) && runtime.Listening)
            {
                runtime.Update(gateway);
                wanted.Remove(runtime.Name);
                continue;
            }

            Retire(runtime);
        }

        foreach (var gateway in wanted.Values)
        {
            var runtime = new GatewayRuntime(ConnectionContext, Relayer, gateway);
            _gateways[gateway.Name] = runtime;
            var endPoint = ListenEndPoint(gateway);
            if (endPoint is null)
            {
                runtime.Fail($"could not listen: its ListenAddress '{gateway.ListenAddress}' is not an IP address");
                continue;
            }

            runtime.TryStart(endPoint);
        }
    }

    private void Retire(GatewayRuntime runtime)
    {
        _gateways.Remove(runtime.Name);
        runtime.StopAccepting();
        var deadline = TimeProvider.GetTimestamp() + (long)(Options.DrainTimeout.TotalSeconds * TimeProvider.TimestampFrequency);
        var sessions = 0;
        foreach (var connection in _connections.Values.Where(c => c.Gateway == runtime))
        {
            connection.SetDrainDeadline(deadline);
            sessions++;
        }

        if (runtime.LocalEndPoint is not null)
        {
            RelayLog.ListenerStopped(Logger, runtime.Name, sessions, Options.DrainTimeout);
        }

        _retired.Add(runtime);
    }

    private bool IsServedHere(Gateway gateway) => Options.Gateways is { } names
        ? names.Contains(gateway.Name, StringComparer.OrdinalIgnoreCase)
        : string.Equals(gateway.Server, Options.ServerName, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether a gateway counts as down for standalone fallback: disabled, or served by this host and not
    /// listening. Gateways of other servers are assumed up while enabled: this host cannot see their listeners.
    /// </summary>
    private bool IsDown(Gateway gateway)
    {
        if (!gateway.Enabled)
        {
            return true;
        }

        if (!IsServedHere(gateway))
        {
            return false;
        }

        lock (_gatewayGate)
        {
            return !(_gateways.TryGetValue(gateway.Name, out var runtime) && runtime.Listening);
        }
    }

    private IPEndPoint? ListenEndPoint(Gateway gateway)
    {
        var port = Options.ListenPortOverride ?? gateway.ListenPort;
        if (Options.ListenAddressOverride is { } address)
        {
            return new IPEndPoint(address, port);
        }

        if (gateway.ListenAddress is null)
        {
            return new IPEndPoint(System.Net.Sockets.Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port);
        }

        return IPAddress.TryParse(gateway.ListenAddress, out var parsed) ? new IPEndPoint(parsed, port) : null;
    }

    private static bool SameEndPoint(Gateway a, Gateway b) =>
        string.Equals(a.ListenAddress, b.ListenAddress, StringComparison.OrdinalIgnoreCase) && a.ListenPort == b.ListenPort;

    private void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) != 0)
        {
            return;
        }

        try
        {
            var now = TimeProvider.GetTimestamp();
            foreach (var connection in _connections.Values)
            {
                connection.CheckTimeouts(now);
            }

            lock (_gatewayGate)
            {
                _retired.RemoveAll(g => g.Connections == 0 && g.AcceptLoop.IsCompleted && g.DisposeIfDone());
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private async Task StopCoreAsync(TimeSpan drainTimeout)
    {
        Volatile.Write(ref _state, (int)RelayHostState.Draining);
        lock (_gatewayGate)
        {
            foreach (var runtime in _gateways.Values.ToList())
            {
                _gateways.Remove(runtime.Name);
                runtime.StopAccepting();
                _retired.Add(runtime);
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _pollLoop.ConfigureAwait(false);
        await _leaseLoop.ConfigureAwait(false);
        List<GatewayRuntime> gateways;
        lock (_gatewayGate)
        {
            gateways = [.. _retired];
        }

        foreach (var connection in _connections.Values.Where(c => c.IsHandshaking))
        {
            connection.Abort("host-stopped");
        }

        if (_connections.IsEmpty)
        {
            _allClosed.TrySetResult();
        }

        RelayLog.HostDraining(Logger, _connections.Count, drainTimeout);
        if (drainTimeout > TimeSpan.Zero)
        {
            using var drainDelay = CancellationTokenSource.CreateLinkedTokenSource(_cutDrain.Token);
            var delay = Task.Delay(drainTimeout, TimeProvider, drainDelay.Token);
            await Task.WhenAny(_allClosed.Task, delay).ConfigureAwait(false);
            await drainDelay.CancelAsync().ConfigureAwait(false);
        }

        var closed = 0;
        foreach (var connection in _connections.Values)
        {
            connection.Abort("drain-timeout");
            closed++;
        }

        await CloseResumableSessionsAsync().ConfigureAwait(false);

        await WaitAllClosedAsync().ConfigureAwait(false);
        foreach (var gateway in gateways)
        {
            await gateway.AcceptLoop.ConfigureAwait(false);
            gateway.Dispose();
        }

        if (_sweeper is not null)
        {
            await _sweeper.DisposeAsync().ConfigureAwait(false);
        }

        Relayer.Dispose();
        await StopMetricsAsync().ConfigureAwait(false);
        _verifier.Dispose();
        SharedSessions.Dispose();
        DisposeCertificates();

        _stopping.Dispose();
        lock (_stopGate)
        {
            Volatile.Write(ref _state, (int)RelayHostState.Stopped);
            _cutDrain.Dispose();
        }

        RelayLog.HostStopped(Logger, closed);
        _completion.TrySetResult();
    }

    private async Task WaitAllClosedAsync()
    {
        try
        {
            await _allClosed.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Logger.LogError("{Count} connection(s) did not close within 10 seconds of being aborted", _connections.Count);
        }
    }
}
