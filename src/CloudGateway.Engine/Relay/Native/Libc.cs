using System.Runtime.InteropServices;

namespace CloudGateway.Relay.Native;

/// <summary>The Linux system calls the native relay engine uses: epoll, eventfd and non-blocking sockets.</summary>
internal static unsafe class Libc
{
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EINPROGRESS = 115;

    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLEXCLUSIVE = 1u << 28;
    public const uint EPOLLET = 1u << 31;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;

    public const int AfInet = 2;
    public const int AfInet6 = 10;
    public const int SockStream = 1;
    public const int SockNonBlock = 0x800;
    public const int SockCloexec = 0x80000;
    public const int MsgNoSignal = 0x4000;
    public const int ShutWrite = 1;
    public const int ShutBoth = 2;
    public const int SolSocket = 1;
    public const int SoError = 4;
    public const int IpProtoTcp = 6;
    public const int TcpNoDelay = 1;

    /// <summary>The size of one struct epoll_event: packed (12 bytes) on x86-64, naturally aligned (16) elsewhere.</summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Where the 64-bit user data sits inside struct epoll_event.</summary>
    public static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static int Errno => Marshal.GetLastPInvokeError();

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static extern int EpollCreate(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static extern int EpollCtl(int epollFd, int operation, int fd, byte* epollEvent);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static extern int EpollWait(int epollFd, byte* events, int maxEvents, int timeout);

    [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static extern int EventFd(uint initial, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    public static extern nint Read(int fd, byte* buffer, nint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    public static extern nint Write(int fd, byte* buffer, nint count);

    [DllImport("libc", EntryPoint = "accept4", SetLastError = true)]
    public static extern int Accept(int fd, byte* address, int* addressLength, int flags);

    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static extern int Socket(int domain, int type, int protocol);

    [DllImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static extern int Connect(int fd, byte* address, int addressLength);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static extern nint Receive(int fd, byte* buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    public static extern nint Send(int fd, byte* buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    public static extern int Shutdown(int fd, int how);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static extern int SetSocketOption(int fd, int level, int name, int* value, int length);

    [DllImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    public static extern int GetSocketOption(int fd, int level, int name, int* value, int* length);

    /// <summary>Registers <paramref name="fd"/> with <paramref name="epollFd"/> for <paramref name="events"/>, tagged with <paramref name="token"/>.</summary>
    public static int EpollAdd(int epollFd, int fd, uint events, long token)
    {
        var epollEvent = stackalloc byte[16];
        *(uint*)epollEvent = events;
        *(long*)(epollEvent + EpollDataOffset) = token;
        return EpollCtl(epollFd, EpollCtlAdd, fd, epollEvent);
    }

    /// <summary>Removes <paramref name="fd"/> from <paramref name="epollFd"/>.</summary>
    public static int EpollRemove(int epollFd, int fd)
    {
        var epollEvent = stackalloc byte[16];
        return EpollCtl(epollFd, EpollCtlDel, fd, epollEvent);
    }
}
