using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Protocol;
using CloudGateway.Tls;

namespace CloudGateway.Client;

/// <summary>
/// One attempt on one gateway: TCP and TLS within the connect timeout, the certificate checked in the TLS
/// validation callback (so nothing is sent to a gateway that fails it), then the hello and its answer within the
/// answer timeout. Every failure is a <see cref="GatewayException"/>: CertificateMismatch, NoGatewayAvailable
/// (network) or ProtocolViolation; refusals are returned, not thrown. The pins are read afresh for every attempt.
/// </summary>
internal sealed class GatewayDialer(GatewayClientSettings settings, Func<CertificatePins> pins, GatewayClientOptions options, TimeProvider timeProvider)
{
    /// <summary>Dials <paramref name="gateway"/> and sends <paramref name="hello"/>; the connection is null when refused.</summary>
    public async Task<(HelloAnswer Answer, GatewayStream? Connection)> DialAsync(
        KnownGateway gateway, Hello hello, DialTrace trace, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        TlsDuplexStream? tls = null;
        try
        {
            tls = await ConnectAsync(socket, gateway, trace, cancellationToken).ConfigureAwait(false);
            var (answer, pending) = await ExchangeAsync(tls.Tls, gateway, hello, cancellationToken).ConfigureAwait(false);
            if (!answer.Accepted)
            {
                tls.Dispose();
                socket.Dispose();
                return (answer, null);
            }

            return (answer, new GatewayStream(socket, tls, pending, gateway, answer));
        }
        catch
        {
            tls?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    private async Task<TlsDuplexStream> ConnectAsync(Socket socket, KnownGateway gateway, DialTrace trace, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = timeProvider.GetTimestamp();
        try
        {
            await socket.ConnectAsync(gateway.Address, gateway.Port, linked.Token).ConfigureAwait(false);
            trace.TcpLatency = timeProvider.GetElapsedTime(started);
            var tls = new TlsDuplexStream(new NetworkStream(socket, ownsSocket: false));
            try
            {
                await tls.Tls.AuthenticateAsClientAsync(TlsOptions(gateway, trace), linked.Token).ConfigureAwait(false);
            }
            catch
            {
                tls.Dispose();
                throw;
            }

            trace.TlsProtocol = tls.Tls.SslProtocol;
            return tls;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var step = trace.TcpLatency is null ? "TCP connect" : "TLS handshake";
            throw Unreachable($"{step} timed out after {options.ConnectTimeout.TotalSeconds:0.###} s");
        }
        catch (SocketException ex)
        {
            throw Unreachable(Describe(ex));
        }
        catch (AuthenticationException ex) when (trace.CertificateFailure is not null)
        {
            throw new GatewayException(GatewayErrorCode.CertificateMismatch, trace.CertificateFailure, gateway.Name, ex);
        }
        catch (AuthenticationException ex)
        {
            throw Unreachable($"TLS handshake failed: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw Unreachable($"the connection broke during the TLS handshake: {ex.Message}", ex);
        }
    }

    private async Task<(HelloAnswer Answer, ReadOnlyMemory<byte> Pending)> ExchangeAsync(
        SslStream tls, KnownGateway gateway, Hello hello, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.AnswerTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await tls.WriteAsync(FrameCodec.Encode(hello), linked.Token).ConfigureAwait(false);
            await tls.FlushAsync(linked.Token).ConfigureAwait(false);
            var buffer = new byte[WireProtocol.MaxFrameBytes];
            var (frameLength, extra) = await FrameCodec.ReadFrameAsync(tls, buffer, linked.Token).ConfigureAwait(false);
            var answer = FrameCodec.DecodeAnswer(buffer.AsSpan(0, frameLength));
            return (answer, buffer.AsMemory(frameLength + 1, extra));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable($"no answer to the hello within {options.AnswerTimeout.TotalSeconds:0.###} s");
        }
        catch (IOException ex)
        {
            throw Unreachable($"the connection broke before the answer: {ex.Message}", ex);
        }
        catch (GatewayException ex) when (ex.Code == GatewayErrorCode.ProtocolViolation)
        {
            throw new GatewayException(GatewayErrorCode.ProtocolViolation, $"gateway {gateway.Name} answered badly: {ex.Message}", gateway.Name, ex);
        }
    }

    private SslClientAuthenticationOptions TlsOptions(KnownGateway gateway, DialTrace trace) => new()
    {
        TargetHost = gateway.Address,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, errors) => CheckCertificate(certificate, errors, trace),
    };

    // Runs inside the handshake: returning false aborts it before the hello (and its password) is ever written.
    private bool CheckCertificate(X509Certificate? certificate, SslPolicyErrors errors, DialTrace trace)
    {
        if (certificate is null)
        {
            trace.CertificateFailure = "the gateway presented no certificate";
            return false;
        }

        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        trace.CertificateThumbprint = thumbprint;
        trace.CertificateExpires = certificate is X509Certificate2 full ? new DateTimeOffset(full.NotAfter.ToUniversalTime(), TimeSpan.Zero) : null;
        var accepted = pins();
        if (accepted.Thumbprint is { } pinned)
        {
            trace.CertificateFailure = accepted.Accepts(thumbprint) ? null : Unpinned(thumbprint, accepted);
        }
        else
        {
            trace.CertificateFailure = errors == SslPolicyErrors.None
                ? null
                : $"the gateway's certificate (thumbprint {thumbprint}) is not trusted by this system: {errors}; pin its thumbprint to trust it";
        }

        return trace.CertificateFailure is null;
    }

    // Names every thumbprint involved and the way to re-pin, for a tenant that missed the announcement of a new certificate.
    private string Unpinned(string thumbprint, CertificatePins accepted)
    {
        var pinned = accepted.NextThumbprint is { } next ? $"the pinned {accepted.Thumbprint} or the announced successor {next}" : $"the pinned {accepted.Thumbprint}";
        return $"the gateway's certificate has thumbprint {thumbprint}, not {pinned}; if the provider has replaced its certificate, " +
            $"confirm {thumbprint} with the provider and pin it with Set-CloudProvider -Name '{settings.Name ?? settings.Address}' -CertificateThumbprint {thumbprint}";
    }

    private static string Describe(SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "the name does not resolve",
        SocketError.TimedOut => "TCP connect timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "unreachable",
        _ => $"TCP connect failed ({ex.SocketErrorCode})",
    };

    private static GatewayException Unreachable(string why, Exception? inner = null) =>
        new(GatewayErrorCode.NoGatewayAvailable, why, null, inner);
}

/// <summary>What one attempt learned on the way, filled in step by step; read by probes and error messages.</summary>
internal sealed class DialTrace
{
    public TimeSpan? TcpLatency { get; set; }

    public SslProtocols TlsProtocol { get; set; }

    public string? CertificateThumbprint { get; set; }

    public DateTimeOffset? CertificateExpires { get; set; }

    public string? CertificateFailure { get; set; }
}
