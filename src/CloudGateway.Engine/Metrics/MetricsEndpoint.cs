using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace CloudGateway.Metrics;

/// <summary>
/// The admin listener: a minimal HTTP/1.1 server that answers GET /metrics with a scrape and anything else with
/// 404, one request per connection. With a bearer token set, a request without the right one gets 401 (the token
/// is compared in constant time and never echoed). Requests are read for at most a few seconds and 8 KiB.
/// </summary>
internal sealed class MetricsEndpoint : IAsyncDisposable
{
    private const int MaxRequestBytes = 8192;
    private const int MaxConcurrent = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly Func<string> _scrape;
    private readonly byte[]? _tokenHash;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrent);
    private readonly HashSet<Task> _requests = [];
    private readonly Task _acceptLoop;
    private int _disposed;

    private MetricsEndpoint(Socket socket, Func<string> scrape, string? token)
    {
        _socket = socket;
        _scrape = scrape;
        _tokenHash = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The endpoint really bound (port 0 reports the port chosen).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds <paramref name="options"/>' endpoint and starts serving; RelayError when it cannot be bound.</summary>
    public static MetricsEndpoint Start(MetricsListenerOptions options, Func<string> scrape)
    {
        var socket = new Socket(options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(options.EndPoint);
            socket.Listen(64);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new GatewayException(GatewayErrorCode.RelayError, $"The metrics listener could not listen on {options.EndPoint}: {ex.Message}", options.EndPoint.ToString(), ex);
        }

        return new MetricsEndpoint(socket, scrape, options.BearerToken);
    }

    /// <summary>Stops accepting and waits for the requests in progress (each bounded by the request timeout). Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        Task[] pending;
        lock (_requests)
        {
            pending = [.. _requests];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        _stop.Dispose();
        _slots.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                _slots.Release();
                continue;
            }

            var request = ServeAsync(client);
            lock (_requests)
            {
                _requests.RemoveWhere(t => t.IsCompleted);
                _requests.Add(request);
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(RequestTimeout);
            var head = await ReadHeadAsync(client, timeout.Token).ConfigureAwait(false);
            var answer = head is null ? Answer(400, "Bad Request\n") : Respond(head);
            await client.SendAsync(answer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // A caller that went away or never finished its request: nothing to answer.
        }
        finally
        {
            client.Dispose();
            _slots.Release();
        }
    }

    private byte[] Respond(string head)
    {
        var lines = head.Split("\r\n");
        var request = lines[0].Split(' ');
        if (request.Length != 3 || request[0] != "GET" || request[1].Split('?')[0] != "/metrics")
        {
            return Answer(404, "Not Found\n");
        }

        if (_tokenHash is not null && !Authorized(lines))
        {
            return Answer(401, "Unauthorized\n", "WWW-Authenticate: Bearer realm=\"cloudgateway\"\r\n");
        }

        string scrape;
        try
        {
            scrape = _scrape();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failed observation must not end the listener, nor the relay's stop that waits for this request.
            return Answer(500, "Internal Server Error\n");
        }

        return Answer(200, scrape, contentType: PrometheusText.ContentType);
    }

    private bool Authorized(string[] lines)
    {
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                var value = line[(colon + 1)..].Trim();
                var token = value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : string.Empty;
                return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _tokenHash);
            }
        }

        return false;
    }

    private static async Task<string?> ReadHeadAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return Encoding.ASCII.GetString(buffer, 0, end);
            }
        }

        return null;
    }

    private static byte[] Answer(int status, string body, string extraHeaders = "", string contentType = "text/plain; charset=utf-8")
    {
        var content = Encoding.UTF8.GetBytes(body);
        var reason = status switch
        {
            200 => "OK",
            400 => "Bad Request",
            401 => "Unauthorized",
            500 => "Internal Server Error",
            _ => "Not Found",
        };
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\nConnection: close\r\n{extraHeaders}\r\n");
        return [.. head, .. content];
    }
}
