using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;
using CloudGateway.Relay.Native;

namespace CloudGateway.Relay.Managed;

/// <summary>
/// Asks OpenSSL to free a TLS session's record buffers whenever they are empty (SSL_MODE_RELEASE_BUFFERS), as
/// HAProxy does. Without it every idle session keeps OpenSSL's record buffers in native memory (on the bench about
/// 8 KiB more RSS per idle TLS session). .NET has no public switch for it, so on Linux this reaches the session's
/// SSL handle through SslStream's private field; when the runtime holds anything else there (the field is checked
/// to be .NET's SafeSslHandle), or the runtime has not itself loaded libssl.so.3 (so that our call could reach another
/// OpenSSL than the one that made the handle), it does nothing.
/// </summary>
internal static class TlsBufferRelease
{
    private static readonly FieldInfo? SecurityContext = OperatingSystem.IsLinux()
        ? typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance)
        : null;

    private static volatile bool _unavailable = SecurityContext is null || !RuntimeUsesLibssl3();

    /// <summary>Sets the mode on <paramref name="tls"/>'s session; call it once the handshake is done.</summary>
    public static void Apply(SslStream tls)
    {
        if (_unavailable || SecurityContext!.GetValue(tls) is not SafeHandle { IsInvalid: false, IsClosed: false } ssl
            || ssl.GetType().FullName != "Microsoft.Win32.SafeHandles.SafeSslHandle")
        {
            return;
        }

        var added = false;
        try
        {
            ssl.DangerousAddRef(ref added);
            _ = OpenSsl.SslControl(ssl.DangerousGetHandle(), OpenSsl.CtrlMode, (nint)OpenSsl.ModeReleaseBuffers, 0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
        }
        finally
        {
            if (added)
            {
                ssl.DangerousRelease();
            }
        }
    }

    // The handle belongs to whichever OpenSSL the runtime loaded; calling a different libssl with it would corrupt
    // memory. dlopen by soname returns the library already mapped, so require that it is libssl.so.3. Read once:
    // the runtime has loaded its OpenSSL before the first handshake that reaches Apply.
    private static bool RuntimeUsesLibssl3()
    {
        try
        {
            var maps = File.ReadAllText("/proc/self/maps");
            return maps.Contains("/libssl.so.3", StringComparison.Ordinal) && !maps.Contains("/libssl.so.1", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
