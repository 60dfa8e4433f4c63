using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Relay.Native;

/// <summary>Something registered with an <see cref="EventLoop"/>: told which of its descriptors became ready.</summary>
internal interface ILoopHandler
{
    /// <summary>Runs on the loop's thread; <paramref name="token"/> is the registration that fired.</summary>
    void OnEvents(long token, uint events);
}

/// <summary>
/// One thread waiting on one epoll set: the descriptors registered with it are only ever read, written and closed
/// on this thread, so the connections it drives need no locks. Other threads hand it work with <see cref="Post"/>,
/// which wakes it through an eventfd. A loop also keeps the relay buffers its connections borrow.
/// </summary>
internal sealed unsafe class EventLoop : IDisposable
{
    private const int MaxEvents = 256;
    private const long WakeToken = 0;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly Dictionary<long, ILoopHandler> _handlers = [];
    private readonly ILogger _logger;
    private long _nextToken = WakeToken + 1;
    private int _wakePending;
    private volatile bool _stopping;
    private volatile bool _closed;

    public EventLoop(string name, int bufferSize, ILogger logger)
    {
        _logger = logger;
        _epoll = Libc.EpollCreate(Libc.SockCloexec);
        _wake = Libc.EventFd(0, Libc.SockNonBlock | Libc.SockCloexec);
        if (_epoll < 0 || _wake < 0 || Libc.EpollAdd(_epoll, _wake, Libc.EPOLLIN, WakeToken) != 0)
        {
            var errno = Libc.Errno;
            CloseDescriptors();
            throw new GatewayException(GatewayErrorCode.PlatformNotSupported, $"The native relay engine cannot create its event loop (errno {errno}).");
        }

        Buffers = new BufferPool(bufferSize);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>The relay buffers of this loop's connections.</summary>
    public BufferPool Buffers { get; }

    /// <summary>Adds <paramref name="fd"/> for <paramref name="events"/>; returns the registration's token, or -1 with errno set. Loop thread only.</summary>
    public long Register(int fd, uint events, ILoopHandler handler)
    {
        var token = _nextToken++;
        if (Libc.EpollAdd(_epoll, fd, events, token) != 0)
        {
            return -1;
        }

        _handlers[token] = handler;
        return token;
    }

    /// <summary>Removes a registration; with <paramref name="fd"/> still open it is taken out of the epoll set too. Loop thread only.</summary>
    public void Unregister(long token, int fd)
    {
        if (_handlers.Remove(token) && fd >= 0)
        {
            Libc.EpollRemove(_epoll, fd);
        }
    }

    /// <summary>Runs <paramref name="action"/> on the loop's thread soon; after the loop stopped, never. Safe from any thread.</summary>
    public void Post(Action action)
    {
        if (_closed)
        {
            return;
        }

        _posted.Enqueue(action);
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            ulong one = 1;
            Libc.Write(_wake, (byte*)&one, sizeof(ulong));
        }
    }

    /// <summary>Stops the thread after the work already posted, and closes the epoll set. Not from the loop's own thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        Post(static () => { });
        _thread.Join();
        CloseDescriptors();
    }

    private void Run()
    {
        var events = stackalloc byte[MaxEvents * Libc.EpollEventSize];
        while (!_stopping)
        {
            var count = Libc.EpollWait(_epoll, events, MaxEvents, -1);
            for (var i = 0; i < count; i++)
            {
                var entry = events + (i * Libc.EpollEventSize);
                var token = *(long*)(entry + Libc.EpollDataOffset);
                if (token == WakeToken)
                {
                    ulong value;
                    Libc.Read(_wake, (byte*)&value, sizeof(ulong));
                    Volatile.Write(ref _wakePending, 0);
                }
                else if (_handlers.TryGetValue(token, out var handler))
                {
                    Dispatch(handler, token, *(uint*)entry);
                }
            }

            while (_posted.TryDequeue(out var action))
            {
                Dispatch(action);
            }
        }
    }

    private void Dispatch(ILoopHandler handler, long token, uint ready)
    {
        try
        {
            handler.OnEvents(token, ready);
        }
#pragma warning disable CA1031 // A handler's unforeseen failure is logged; the loop and its other connections go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RelayLog.EventLoopFault(_logger, ex);
        }
    }

    private void Dispatch(Action action)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // As above: one faulty piece of posted work must not stop the loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RelayLog.EventLoopFault(_logger, ex);
        }
    }

    private void CloseDescriptors()
    {
        _closed = true;
        if (_wake >= 0)
        {
            _ = Libc.Close(_wake);
        }

        if (_epoll >= 0)
        {
            _ = Libc.Close(_epoll);
        }
    }
}
