using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CloudGateway.Resumable;

/// <summary>
/// Two connected sockets inside this process: a relay engine carries a resumable session's tenant side to one end as
/// if it were the resource, and the session reads its frames from the other. A Unix socket pair on Linux; a loopback
/// TCP pair elsewhere.
/// </summary>
internal static class LocalSocketPair
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockNonBlock = 0x800;
    private const int SockCloexec = 0x80000;

    /// <summary>Creates the pair; both ends are non-blocking and closed on exec.</summary>
    public static (Socket First, Socket Second) Create()
    {
        if (!OperatingSystem.IsLinux())
        {
            return CreateOverLoopback();
        }

        Span<int> fds = stackalloc int[2];
        if (SocketPair(AfUnix, SockStream | SockNonBlock | SockCloexec, 0, ref MemoryMarshal.GetReference(fds)) != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        return (Wrap(fds[0]), Wrap(fds[1]));
    }

    /// <summary>Hands the descriptor of <paramref name="socket"/> over to the caller, who closes it: the socket no longer does.</summary>
    public static int TakeDescriptor(Socket socket)
    {
        var descriptor = (int)socket.SafeHandle.DangerousGetHandle();
        socket.SafeHandle.SetHandleAsInvalid();
        return descriptor;
    }

    private static Socket Wrap(int descriptor) => new(new SafeSocketHandle(descriptor, ownsHandle: true));

    private static (Socket First, Socket Second) CreateOverLoopback()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        first.Connect(listener.LocalEndPoint!);
        var second = listener.Accept();
        second.NoDelay = true;
        return (first, second);
    }

    [DllImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static extern int SocketPair(int domain, int type, int protocol, ref int fds);
}
