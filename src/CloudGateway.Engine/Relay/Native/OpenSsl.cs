using System.Runtime.InteropServices;
using System.Text;

namespace CloudGateway.Relay.Native;

/// <summary>The OpenSSL 3 functions the native relay engine uses (libssl.so.3 and libcrypto.so.3).</summary>
internal static unsafe class OpenSsl
{
    public const string Ssl = "libssl.so.3";
    public const string Crypto = "libcrypto.so.3";

    public const int ErrorNone = 0;
    public const int ErrorSsl = 1;
    public const int ErrorWantRead = 2;
    public const int ErrorWantWrite = 3;
    public const int ErrorSyscall = 5;
    public const int ErrorZeroReturn = 6;

    public const int CtrlMode = 33;
    public const int CtrlSetReadAhead = 41;
    public const int CtrlSetSessionCacheMode = 44;
    public const int CtrlSetMinProtoVersion = 123;
    public const int CtrlChainCertificate = 89;
    public const int Tls12Version = 0x0303;
    public const long ModeEnablePartialWrite = 0x1;
    public const long ModeAcceptMovingWriteBuffer = 0x2;
    public const long ModeReleaseBuffers = 0x10;
    public const ulong OptionIgnoreUnexpectedEof = 1UL << 7;
    public const ulong OptionNoCompression = 1UL << 17;
    public const ulong OptionCipherServerPreference = 1UL << 22;
    public const ulong OptionNoRenegotiation = 1UL << 30;

    [DllImport(Ssl, EntryPoint = "TLS_server_method")]
    public static extern nint TlsServerMethod();

    [DllImport(Ssl, EntryPoint = "SSL_CTX_new")]
    public static extern nint ContextNew(nint method);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_free")]
    public static extern void ContextFree(nint context);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_ctrl")]
    public static extern nint ContextControl(nint context, int command, nint larg, nint parg);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_set_options")]
    public static extern ulong ContextSetOptions(nint context, ulong options);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_set_cipher_list")]
    public static extern int ContextSetCipherList(nint context, byte* ciphers);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_set_ciphersuites")]
    public static extern int ContextSetCipherSuites(nint context, byte* suites);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_set_session_id_context")]
    public static extern int ContextSetSessionIdContext(nint context, byte* id, uint length);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_use_certificate")]
    public static extern int ContextUseCertificate(nint context, nint certificate);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_use_PrivateKey")]
    public static extern int ContextUsePrivateKey(nint context, nint key);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_check_private_key")]
    public static extern int ContextCheckPrivateKey(nint context);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_set_default_read_buffer_len")]
    public static extern void ContextSetReadBufferLength(nint context, nint length);

    [DllImport(Ssl, EntryPoint = "SSL_CTX_set_num_tickets")]
    public static extern int ContextSetTicketCount(nint context, nint count);

    [DllImport(Ssl, EntryPoint = "SSL_new")]
    public static extern nint SslNew(nint context);

    [DllImport(Ssl, EntryPoint = "SSL_free")]
    public static extern void SslFree(nint ssl);

    [DllImport(Ssl, EntryPoint = "SSL_set_fd")]
    public static extern int SslSetFd(nint ssl, int fd);

    [DllImport(Ssl, EntryPoint = "SSL_set_accept_state")]
    public static extern void SslSetAcceptState(nint ssl);

    [DllImport(Ssl, EntryPoint = "SSL_do_handshake")]
    public static extern int SslDoHandshake(nint ssl);

    [DllImport(Ssl, EntryPoint = "SSL_read")]
    public static extern int SslRead(nint ssl, byte* buffer, int count);

    [DllImport(Ssl, EntryPoint = "SSL_write")]
    public static extern int SslWrite(nint ssl, byte* buffer, int count);

    [DllImport(Ssl, EntryPoint = "SSL_shutdown")]
    public static extern int SslShutdown(nint ssl);

    // libssl.so.3 by soname: when the runtime's own shim has loaded it, this is that very library (TlsBufferRelease).
    [DllImport(Ssl, EntryPoint = "SSL_ctrl")]
    public static extern nint SslControl(nint ssl, int command, nint larg, nint parg);

    [DllImport(Ssl, EntryPoint = "SSL_get_error")]
    public static extern int SslGetError(nint ssl, int result);

    [DllImport(Crypto, EntryPoint = "d2i_X509")]
    public static extern nint DecodeX509(nint reuse, byte** input, nint length);

    [DllImport(Crypto, EntryPoint = "X509_free")]
    public static extern void X509Free(nint certificate);

    [DllImport(Crypto, EntryPoint = "d2i_AutoPrivateKey")]
    public static extern nint DecodePrivateKey(nint reuse, byte** input, nint length);

    [DllImport(Crypto, EntryPoint = "EVP_PKEY_free")]
    public static extern void KeyFree(nint key);

    [DllImport(Crypto, EntryPoint = "ERR_clear_error")]
    public static extern void ClearErrors();

    [DllImport(Crypto, EntryPoint = "ERR_get_error")]
    public static extern ulong GetError();

    [DllImport(Crypto, EntryPoint = "ERR_error_string_n")]
    public static extern void ErrorString(ulong error, byte* buffer, nint length);

    /// <summary>Whether OpenSSL 3 can be loaded in this process.</summary>
    public static bool IsAvailable()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Ssl, typeof(OpenSsl).Assembly, DllImportSearchPath.SafeDirectories, out _))
        {
            return false;
        }

        return NativeLibrary.TryLoad(Crypto, typeof(OpenSsl).Assembly, DllImportSearchPath.SafeDirectories, out _);
    }

    /// <summary>The oldest error on this thread's OpenSSL error queue as text (and the queue emptied), or <paramref name="fallback"/>.</summary>
    public static string TakeErrorText(string fallback)
    {
        var error = GetError();
        ClearErrors();
        if (error == 0)
        {
            return fallback;
        }

        var text = stackalloc byte[256];
        ErrorString(error, text, 256);
        return Encoding.ASCII.GetString(text, new ReadOnlySpan<byte>(text, 256).IndexOf((byte)0) is var end and >= 0 ? end : 256);
    }
}
