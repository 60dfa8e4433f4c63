using System.Net;
using CloudGateway.Protocol;

namespace CloudGateway.Relay;

/// <summary>
/// What every accepted connection shares, whichever engine moves its bytes: its phase (handshaking, relaying,
/// ended), counters and rates, the timeouts the host's sweeper enforces (<see cref="CheckTimeouts"/>), the steps
/// of a hello that do not depend on the transport, and the bookkeeping when it ends.
/// </summary>
internal abstract class RelayConnection
{
    private const int Handshaking = 0;
    private const int Relaying = 1;
    private const int Ended = 2;

    private readonly long _acceptedAt;
    private int _phase;
    private int _aborted;
    private string? _abortReason;
    private Guid? _lease;
    private Guid? _sessionId;
    private long _lastActivity;
    private long _drainDeadline = long.MaxValue;
    private long _bytesUp;
    private long _bytesDown;
    private long _sampleAt;
    private long _sampleUp;
    private long _sampleDown;
    private double _upRate;
    private double _downRate;

    protected RelayConnection(ConnectionContext context, GatewayRuntime gateway, EndPoint? remoteEndPoint, long id)
    {
        Context = context;
        Gateway = gateway;
        Id = id;
        RemoteEndPoint = remoteEndPoint;
        _acceptedAt = context.TimeProvider.GetTimestamp();
    }

    public long Id { get; }

    public GatewayRuntime Gateway { get; }

    public EndPoint? RemoteEndPoint { get; }

    public TimeProvider TimeProvider => Context.TimeProvider;

    public TenantRuntime? Runtime { get; private set; }

    /// <summary>The session's id once it is accepted (formatted on demand: a session keeps only the 16 bytes).</summary>
    public string? SessionId => _sessionId?.ToString("N");

    public string? ResourceName { get; private set; }

    public DateTimeOffset Started { get; private set; }

    public bool IsSession => Volatile.Read(ref _phase) == Relaying;

    public bool IsHandshaking => Volatile.Read(ref _phase) == Handshaking;

    /// <summary>What the host gives the connection: clock, logger, options, admission and the rest.</summary>
    protected ConnectionContext Context { get; }

    /// <summary>Why the connection was aborted, or null.</summary>
    protected string? AbortReason => Volatile.Read(ref _abortReason);

    protected bool IsAborted => Volatile.Read(ref _aborted) != 0;

    public void Touch() => Volatile.Write(ref _lastActivity, TimeProvider.GetTimestamp());

    public void Relayed(int count, bool upstream)
    {
        if (upstream)
        {
            Volatile.Write(ref _bytesUp, _bytesUp + count);
            Gateway.AddBytesIn(count);
        }
        else
        {
            Volatile.Write(ref _bytesDown, _bytesDown + count);
            Gateway.AddBytesOut(count);
        }

        Touch();
    }

    /// <summary>Ends the connection for <paramref name="reason"/>: its transport is closed and its pending work fails. Safe from any thread, and twice.</summary>
    public void Abort(string reason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        Volatile.Write(ref _abortReason, reason);
        CloseTransport();
    }

    /// <summary>Sessions of a stopped gateway may go on until this moment.</summary>
    public void SetDrainDeadline(long timestamp) => Interlocked.CompareExchange(ref _drainDeadline, timestamp, long.MaxValue);

    public void CheckTimeouts(long now)
    {
        var options = Context.Options;
        switch (Volatile.Read(ref _phase))
        {
            case Handshaking when TimeProvider.GetElapsedTime(_acceptedAt, now) > options.HandshakeTimeout:
                Abort("handshake-timeout");
                return;
            case Relaying when TimeProvider.GetElapsedTime(Volatile.Read(ref _lastActivity), now) > options.IdleTimeout:
                Abort("idle-timeout");
                return;
            case Relaying:
                SampleRates(now);
                break;
        }

        if (now >= Interlocked.Read(ref _drainDeadline))
        {
            Abort("drain-timeout");
        }
    }

    /// <summary>Bytes relayed so far: up is tenant to resource.</summary>
    public (long Up, long Down) Bytes => (Volatile.Read(ref _bytesUp), Volatile.Read(ref _bytesDown));

    public RelaySessionInfo ToInfo() => new(
        SessionId!,
        Runtime!.Name,
        ResourceName!,
        Gateway.Name,
        RemoteEndPoint,
        Started,
        Volatile.Read(ref _bytesUp),
        Volatile.Read(ref _bytesDown),
        Volatile.Read(ref _upRate),
        Volatile.Read(ref _downRate));

    /// <summary>Closes the transport on behalf of <see cref="Abort"/>: called once, from any thread.</summary>
    protected abstract void CloseTransport();

    /// <summary>The refusal a decoded hello gets before admission: gateway-busy while its listener or the host is stopping.</summary>
    protected string? RefusalBeforeAdmission(Hello hello)
    {
        if (Gateway.Listening && Context.Connections.Running)
        {
            return null;
        }

        RelayLog.RefusedGatewayBusy(Context.Logger, hello.Tenant, Gateway.Name, RemoteEndPoint);
        return RefusalReason.GatewayBusy;
    }

    /// <summary>Takes over an admission's session slot and shared lease, which <see cref="Finish"/> gives back.</summary>
    protected void Adopt(AdmissionResult result)
    {
        Runtime = result.Runtime;
        _lease = result.Lease;
    }

    /// <summary>The answer to a list-only hello (logged); the connection closes after sending it.</summary>
    protected HelloAnswer GatewayListAnswer(AdmissionResult result)
    {
        RelayLog.GatewayListSent(Context.Logger, result.Tenant!.Name, Gateway.Name, RemoteEndPoint);
        return HelloAnswer.Accept(Guid.NewGuid().ToString("N"), result.Gateways!, result.NextCertificate);
    }

    /// <summary>The refusal answer for <paramref name="reason"/>, counted against the gateway.</summary>
    protected HelloAnswer RefusalAnswer(string reason)
    {
        Gateway.Refused(reason);
        Context.Metrics.Refused(Gateway.Name, reason);
        return HelloAnswer.Refuse(reason);
    }

    /// <summary>Names the session once its resource is connected and returns the accepting answer to send.</summary>
    protected HelloAnswer BeginSession(AdmissionResult result)
    {
        _sessionId = result.Resumption?.SessionId ?? Guid.NewGuid();
        ResourceName = result.Resource!.Name;
        Started = TimeProvider.GetUtcNow();
        Touch();
        var answer = HelloAnswer.Accept(SessionId!, result.Gateways!, result.NextCertificate);
        return result.Resumption is not { } resumption ? answer : answer with
        {
            ResumeToken = resumption.Token,
            Window = resumption.Window,
            GracePeriod = (int)Math.Ceiling(resumption.GracePeriod.TotalSeconds),
            Received = resumption.Received,
        };
    }

    /// <summary>Moves from handshaking to relaying (false when the connection was ended meanwhile) and logs the session.</summary>
    protected bool EnterRelaying()
    {
        if (Interlocked.CompareExchange(ref _phase, Relaying, Handshaking) != Handshaking)
        {
            return false;
        }

        Gateway.SessionStarted();
        Context.Metrics.HandshakeCompleted(Gateway.Name, TimeProvider.GetElapsedTime(_acceptedAt));
        RelayLog.SessionAccepted(Context.Logger, SessionId!, Runtime!.Name, ResourceName!, Gateway.Name, RemoteEndPoint);
        return true;
    }

    /// <summary>The reason a relaying session gives when one side failed first.</summary>
    protected static string Describe(bool upstream, CopyResult result) => (upstream, result) switch
    {
        (true, CopyResult.SourceFailed) or (false, CopyResult.DestinationFailed) => "tenant-connection-failed",
        _ => "resource-connection-failed",
    };

    /// <summary>The end of the connection, once its transport is closed: counters, slot and lease given back, the session's close logged.</summary>
    protected void Finish(string closeReason)
    {
        var wasSession = Interlocked.Exchange(ref _phase, Ended) == Relaying;
        if (Runtime is not null)
        {
            Runtime.RemoveSession();
            if (wasSession)
            {
                Runtime.AddEndedBytes(Volatile.Read(ref _bytesUp), Volatile.Read(ref _bytesDown));
            }

            Context.SharedSessions.Release(_lease);
        }

        if (wasSession)
        {
            Gateway.SessionEnded();
            RelayLog.SessionClosed(Context.Logger, SessionId!, AbortReason ?? closeReason, Volatile.Read(ref _bytesUp), Volatile.Read(ref _bytesDown));
        }

        Gateway.ConnectionClosed();
        Context.Connections.Remove(this);
    }

    private void SampleRates(long now)
    {
        var elapsed = TimeProvider.GetElapsedTime(_sampleAt == 0 ? _acceptedAt : _sampleAt, now).TotalSeconds;
        if (elapsed < 0.5)
        {
            return;
        }

        var up = Volatile.Read(ref _bytesUp);
        var down = Volatile.Read(ref _bytesDown);
        Volatile.Write(ref _upRate, (up - _sampleUp) / elapsed);
        Volatile.Write(ref _downRate, (down - _sampleDown) / elapsed);
        (_sampleAt, _sampleUp, _sampleDown) = (now, up, down);
    }
}
