using System.Net;
using System.Net.Sockets;
using CloudGateway.Protocol;
using CloudGateway.Resumable;

namespace CloudGateway.Relay;

/// <summary>
/// Resumable sessions on this host: a resumable hello is admitted like any other, then the host connects the resource
/// itself and gives the engine one end of a local socket pair instead, whose other end carries the session's frames.
/// A resume is admitted (password, limits) like a new session of the same resource, and then carries on the session
/// its token names, when it belongs to that tenant and resource.
/// </summary>
public sealed partial class RelayHost
{
    private static readonly TimeSpan ResourceConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly ResumableSessionTable _resumable = new();

    /// <summary>The resumable sessions this host keeps now, with a connection or waiting for a resume.</summary>
    public int ResumableSessionCount => _resumable.Sessions.Count;

    /// <summary>The resumable sessions waiting for a resume now.</summary>
    public int DetachedResumableSessionCount => _resumable.Sessions.Count(s => !s.IsAttached);

    /// <summary>The buffer memory resumable sessions hold now.</summary>
    public long ResumableBufferedBytes => _resumable.Sessions.Sum(s => s.BufferedBytes);

    /// <summary>One line per resumable session with its stream's offsets and state, for a test's failure message.</summary>
    internal IEnumerable<string> DescribeResumableSessions() => _resumable.Sessions.Select(s => s.ToString());

    private long ResumableReservation => ResumablePromise(Options.Resumable);

    /// <summary>
    /// The memory a resumable session is promised out of its gateway's cap: its own window of bytes to replay, up to
    /// the tenant's window of bytes waiting for the resource, and its fixed buffers (frame reading, two pumps).
    /// </summary>
    internal static long ResumablePromise(ResumableOptions options) => 2L * options.Window + ResumableStream.FixedBufferBytes + (2 * ResumableRelaySession.PumpBufferBytes);

    // Credentials and limits first, like any hello; a resume then takes its session back whatever the memory cap (its
    // session holds its promise already), while a new session must fit the tenant's session limit, counting the
    // sessions it left waiting for a resume, and the gateway's memory cap.
    private async Task<AdmissionResult> AdmitResumableAsync(Hello hello, GatewayRuntime gateway, EndPoint? remote)
    {
        var result = AdmitPlain(hello, gateway, remote);
        if (!result.Accepted)
        {
            return result;
        }

        if (hello.Resume is { } token)
        {
            return Resume(hello, token, result, gateway, remote);
        }

        var tenant = result.Tenant!;
        var waiting = _resumable.Sessions.Count(s => s.Identity.TenantId == tenant.Id && !s.IsAttached);
        if (tenant.MaxConcurrentSessions > 0 && result.Runtime!.Sessions + waiting > tenant.MaxConcurrentSessions)
        {
            ReleaseAdmission(result);
            RelayLog.RefusedSessionLimit(Logger, tenant.Name, tenant.MaxConcurrentSessions, gateway.Name, remote);
            return AdmissionResult.Refuse(RefusalReason.SessionLimit);
        }

        if (!_resumable.TryReserve(gateway.Name, ResumableReservation, Options.ResumableMemoryPerGateway, out var reserved))
        {
            ReleaseAdmission(result);
            ResumableLog.MemoryCapReached(Logger, tenant.Name, gateway.Name, remote, reserved, Options.ResumableMemoryPerGateway);
            return AdmissionResult.Refuse(RefusalReason.GatewayBusy);
        }

        var started = await StartResumableAsync(result, gateway).ConfigureAwait(false);
        if (!started.Accepted)
        {
            _resumable.Release(gateway.Name, ResumableReservation);
        }

        return started;
    }

    private async Task<AdmissionResult> StartResumableAsync(AdmissionResult result, GatewayRuntime gateway)
    {
        var resource = await ConnectResourceAsync(result, gateway).ConfigureAwait(false);
        if (resource is null)
        {
            ReleaseAdmission(result);
            return AdmissionResult.Refuse(RefusalReason.ResourceUnavailable);
        }

        var (engineSide, sessionSide) = LocalSocketPair.Create();
        var identity = new ResumableSessionIdentity(Guid.NewGuid(), result.Tenant!.Id, result.Tenant.Name, result.Resource!.Name, gateway.Name);
        var session = new ResumableRelaySession(identity, resource, Options.Resumable, Options.ResumableGracePeriod, TimeProvider, Logger, OnResumableEnded);
        var token = _resumable.IssueToken(session);
        session.Start(sessionSide);
        return result with { Backend = engineSide, Resumption = new Resumption(identity.SessionId, token, Options.Resumable.Window, session.GracePeriod, null) };
    }

    private AdmissionResult Resume(Hello hello, string token, AdmissionResult result, GatewayRuntime gateway, EndPoint? remote)
    {
        var session = _resumable.Find(token);
        if (session is null || session.Identity.TenantId != result.Tenant!.Id || !string.Equals(session.Identity.Resource, result.Resource!.Name, StringComparison.OrdinalIgnoreCase))
        {
            var reason = session is null && _resumable.ExpiredTenant(token) == result.Tenant!.Id ? RefusalReason.SessionExpired : RefusalReason.UnknownSession;
            ReleaseAdmission(result);
            ResumableLog.ResumeRefused(Logger, reason, result.Tenant!.Name, gateway.Name, remote);
            return AdmissionResult.Refuse(reason);
        }

        var (engineSide, sessionSide) = LocalSocketPair.Create();
        long received;
        try
        {
            received = session.Resume(sessionSide, hello.Received);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // An offset the session cannot replay from (the session goes on, waiting for a sensible resume), or a
            // session that ended meanwhile.
            sessionSide.Dispose();
            engineSide.Dispose();
            ReleaseAdmission(result);
            ResumableLog.ResumeOffsetRefused(Logger, session.Identity.SessionId.ToString("N"), result.Tenant.Name, gateway.Name, remote, ex.Message);
            return AdmissionResult.Refuse(ex is InvalidDataException ? RefusalReason.BadRequest : RefusalReason.UnknownSession);
        }

        var next = _resumable.IssueToken(session, token);
        return result with { Backend = engineSide, Resumption = new Resumption(session.Identity.SessionId, next, Options.Resumable.Window, session.GracePeriod, received) };
    }

    private async Task<Socket?> ConnectResourceAsync(AdmissionResult result, GatewayRuntime gateway)
    {
        var resource = result.Resource!;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(ResourceConnectTimeout);
            await socket.ConnectAsync(resource.TargetHost, resource.TargetPort, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ArgumentException)
        {
            socket.Dispose();
            RelayLog.RefusedResourceUnavailable(Logger, result.Tenant!.Name, resource.Name, $"{resource.TargetHost}:{resource.TargetPort}", gateway.Name, ex.Message);
            return null;
        }
    }

    // An admission accepted and then refused after all gives its session slot and shared lease back.
    private void ReleaseAdmission(AdmissionResult result)
    {
        result.Runtime?.RemoveSession();
        SharedSessions.Release(result.Lease);
    }

    private void OnResumableEnded(ResumableRelaySession session, string reason)
    {
        _resumable.Remove(session, reason == "grace-period-over", TimeProvider.GetUtcNow());
        _resumable.Release(session.Identity.Gateway, ResumableReservation);
    }

    // A tenant disabled, removed or past its lease loses its resumable sessions at once, resource connections included
    // (those waiting for a resume belong to no connection the tenant loop would close).
    private void CloseResumableSessionsOfUnfitTenants(RelayConfiguration configuration, DateTimeOffset now)
    {
        foreach (var session in _resumable.Sessions)
        {
            string? reason = configuration.FindTenant(session.Identity.TenantId)?.Tenant switch
            {
                null => "tenant-removed",
                { Enabled: false } => "tenant-disabled",
                { LeaseExpiration: { } lease } when lease <= now => "lease-expired",
                _ => null,
            };
            if (reason is not null)
            {
                _ = session.CloseAsync(reason);
            }
        }
    }

    private async Task CloseResumableSessionsAsync()
    {
        foreach (var session in _resumable.Sessions.ToList())
        {
            await session.CloseAsync("host-stopped").ConfigureAwait(false);
        }
    }
}
