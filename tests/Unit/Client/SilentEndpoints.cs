using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Tests.Client;

/// <summary>
/// Loopback ports that behave like unreachable or dead gateways. A closed port on loopback answers a SYN with a
/// reset (refusal), so silence has to be made: a listener whose accept queue is full drops further SYNs without
/// answering, exactly as a blackholed host does; a listener that never accepts completes TCP in the kernel but
/// never speaks TLS, as a hung process does.
/// </summary>
internal static class SilentEndpoints
{
    /// <summary>A port nobody listens on: connecting is refused at once.</summary>
    public static int RefusingPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>A listener whose accept queue is full, so a new SYN gets no answer at all (silence at TCP level).</summary>
    public static async Task<SilentListener> FullBacklogAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        for (var i = 0; i < 16; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(filler);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return new SilentListener(listener, fillers, port);
            }
        }

        throw new InvalidOperationException("The accept queue never filled up; the kernel accepted 16 connections on backlog 0.");
    }

    /// <summary>A listener that never accepts: TCP completes in the kernel, TLS never starts (silence at TLS level).</summary>
    public static SilentListener NeverAccepting()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        return new SilentListener(listener, [], ((IPEndPoint)listener.LocalEndPoint!).Port);
    }
}

/// <summary>A silent listening socket and the connections that keep its queue full.</summary>
internal sealed class SilentListener(Socket listener, List<Socket> fillers, int port) : IDisposable
{
    public int Port { get; } = port;

    public void Dispose()
    {
        foreach (var filler in fillers)
        {
            filler.Dispose();
        }

        listener.Dispose();
    }
}
