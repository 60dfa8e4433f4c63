using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CloudGateway.Relay.Native;

/// <summary>
/// One OpenSSL server context (SSL_CTX) for the gateway certificate: TLS 1.2 and 1.3 only, forward-secret AEAD
/// suites in <see cref="TlsSuiteOrder"/>'s order (the server's preference wins), no renegotiation or compression, stateless session tickets for resumption (one per TLS 1.3
/// handshake, all a tenant needs; no server-side session cache), read-ahead into a 64 KiB buffer, and record buffers
/// released whenever a session is idle. The private key passes through memory only as long as OpenSSL reads it.
/// </summary>
internal sealed unsafe class TlsServerContext : IDisposable
{
    // With read-ahead, one receive takes up to four records off the socket (a busy upload needs a quarter of the
    // system calls); like every record buffer it is freed whenever it is empty.
    private const int ReadBufferLength = 64 * 1024;

    private TlsServerContext(nint handle) => Handle = handle;

    public nint Handle { get; private set; }

    /// <summary>Builds the context; throws a <see cref="GatewayException"/> (CertificateError) when OpenSSL refuses the certificate or key.</summary>
    public static TlsServerContext Create(X509Certificate2 certificate)
    {
        var handle = OpenSsl.ContextNew(OpenSsl.TlsServerMethod());
        if (handle == 0)
        {
            throw Failure("OpenSSL could not create a TLS context");
        }

        var context = new TlsServerContext(handle);
        try
        {
            context.Configure();
            context.UseCertificate(certificate);
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Handle != 0)
        {
            OpenSsl.ContextFree(Handle);
            Handle = 0;
        }
    }

    private void Configure()
    {
        OpenSsl.ContextControl(Handle, OpenSsl.CtrlSetMinProtoVersion, OpenSsl.Tls12Version, 0);
        OpenSsl.ContextSetOptions(Handle, OpenSsl.OptionNoRenegotiation | OpenSsl.OptionNoCompression | OpenSsl.OptionCipherServerPreference | OpenSsl.OptionIgnoreUnexpectedEof);
        OpenSsl.ContextControl(Handle, OpenSsl.CtrlMode, (nint)(OpenSsl.ModeEnablePartialWrite | OpenSsl.ModeAcceptMovingWriteBuffer | OpenSsl.ModeReleaseBuffers), 0);
        OpenSsl.ContextControl(Handle, OpenSsl.CtrlSetReadAhead, 1, 0);
        OpenSsl.ContextControl(Handle, OpenSsl.CtrlSetSessionCacheMode, 0, 0);
        OpenSsl.ContextSetReadBufferLength(Handle, ReadBufferLength);
        _ = OpenSsl.ContextSetTicketCount(Handle, 1);
        var ciphers = Encoding.ASCII.GetBytes(TlsSuiteOrder.Tls12 + "\0");
        var suites = Encoding.ASCII.GetBytes(TlsSuiteOrder.Tls13 + "\0");
        var id = "CloudGateway"u8;
        fixed (byte* cipherText = ciphers)
        fixed (byte* suiteText = suites)
        fixed (byte* idBytes = id)
        {
            if (OpenSsl.ContextSetCipherList(Handle, cipherText) != 1 || OpenSsl.ContextSetCipherSuites(Handle, suiteText) != 1
                || OpenSsl.ContextSetSessionIdContext(Handle, idBytes, (uint)id.Length) != 1)
            {
                throw Failure("OpenSSL refused the TLS settings");
            }
        }
    }

    private void UseCertificate(X509Certificate2 certificate)
    {
        AddIntermediates(certificate);
        var der = certificate.RawData;
        var key = ExportKey(certificate);
        try
        {
            fixed (byte* derBytes = der)
            fixed (byte* keyBytes = key)
            {
                var input = derBytes;
                var x509 = OpenSsl.DecodeX509(0, &input, der.Length);
                if (x509 == 0)
                {
                    throw Failure("OpenSSL could not read the gateway certificate");
                }

                var used = OpenSsl.ContextUseCertificate(Handle, x509);
                OpenSsl.X509Free(x509);
                var keyInput = keyBytes;
                var pkey = OpenSsl.DecodePrivateKey(0, &keyInput, key.Length);
                if (used != 1 || pkey == 0)
                {
                    throw Failure("OpenSSL could not read the gateway certificate or its private key");
                }

                var keyUsed = OpenSsl.ContextUsePrivateKey(Handle, pkey);
                OpenSsl.KeyFree(pkey);
                if (keyUsed != 1 || OpenSsl.ContextCheckPrivateKey(Handle) != 1)
                {
                    throw Failure("the gateway certificate's private key does not match it");
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    // The issuers the machine knows (offline), as SslStreamCertificateContext sends them; the root itself is not sent.
    private void AddIntermediates(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllFlags;
        chain.Build(certificate);
        foreach (var element in chain.ChainElements.Skip(1).Where(e => e.Certificate.SubjectName.RawData.AsSpan().SequenceEqual(e.Certificate.IssuerName.RawData) is false))
        {
            var der = element.Certificate.RawData;
            fixed (byte* derBytes = der)
            {
                var input = derBytes;
                var x509 = OpenSsl.DecodeX509(0, &input, der.Length);
                if (x509 != 0)
                {
                    OpenSsl.ContextControl(Handle, OpenSsl.CtrlChainCertificate, 1, x509);
                    OpenSsl.X509Free(x509);
                }
            }
        }

        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }
    }

    private static byte[] ExportKey(X509Certificate2 certificate)
    {
        try
        {
            using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey();
            return key?.ExportPkcs8PrivateKey()
                ?? throw new GatewayException(GatewayErrorCode.CertificateError, "The gateway certificate's private key is neither ECDSA nor RSA.");
        }
        catch (CryptographicException ex)
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, "The gateway certificate's private key cannot be handed to OpenSSL.", null, ex);
        }
    }

    private static GatewayException Failure(string what) =>
        new(GatewayErrorCode.CertificateError, $"The native TLS engine cannot start: {what} ({OpenSsl.TakeErrorText("no OpenSSL error")}).");
}
