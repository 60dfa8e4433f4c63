using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace CloudGateway.Metrics;

/// <summary>
/// The admin listener: a minimal HTTP/1.1 server that answers GET on each of its routes (/metrics, /status) and
/// anything else with 404, one request per connection. With a token set, a request must present it as
/// <c>Authorization: Bearer</c> or as the password of Basic authentication (what a browser prompts for), else it
/// gets 401; the token is compared in constant time and never echoed. Requests are read for at most a few seconds
/// and 8 KiB.
/// </summary>
internal sealed class AdminEndpoint : IAsyncDisposable
{
    private const int MaxRequestBytes = 8192;
    private const int MaxConcurrent = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly IReadOnlyDictionary<string, Func<AdminPage>> _routes;
    private readonly byte[]? _tokenHash;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrent);
    private readonly HashSet<Task> _requests = [];
    private readonly Task _acceptLoop;
    private int _disposed;

    private AdminEndpoint(Socket socket, IReadOnlyDictionary<string, Func<AdminPage>> routes, string? token)
    {
        _socket = socket;
        _routes = routes;
        _tokenHash = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The endpoint really bound (port 0 reports the port chosen).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds <paramref name="options"/>' endpoint and serves <paramref name="routes"/> (path to page); RelayError when it cannot be bound.</summary>
    public static AdminEndpoint Start(MetricsListenerOptions options, IReadOnlyDictionary<string, Func<AdminPage>> routes)
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

        return new AdminEndpoint(socket, routes, options.BearerToken);
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
            var answer = head is null ? Answer(400, AdminPage.Text("Bad Request\n")) : Respond(head);
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
        if (request.Length != 3 || request[0] != "GET" || !_routes.TryGetValue(request[1].Split('?')[0], out var route))
        {
            return Answer(404, AdminPage.Text("Not Found\n"));
        }

        if (_tokenHash is not null && !Authorized(lines))
        {
            return Answer(401, AdminPage.Text("Unauthorized\n"), "WWW-Authenticate: Basic realm=\"cloudgateway\", charset=\"UTF-8\"\r\nWWW-Authenticate: Bearer realm=\"cloudgateway\"\r\n");
        }

        try
        {
            return Answer(200, route());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failed observation must not end the listener, nor the relay's stop that waits for this request.
            return Answer(500, AdminPage.Text("Internal Server Error\n"));
        }
    }

    private bool Authorized(string[] lines)
    {
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(PresentedToken(line[(colon + 1)..].Trim()))), _tokenHash);
            }
        }

        return false;
    }

    // The token of "Bearer <token>", or the password of "Basic base64(user:password)" whatever the user name.
    private static string PresentedToken(string credentials)
    {
        if (credentials.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return credentials[7..].Trim();
        }

        if (credentials.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new byte[credentials.Length];
            if (Convert.TryFromBase64String(credentials[6..].Trim(), decoded, out var length))
            {
                var pair = Encoding.UTF8.GetString(decoded, 0, length);
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 ? pair[(colon + 1)..] : string.Empty;
            }
        }

        return string.Empty;
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

    private static byte[] Answer(int status, AdminPage page, string extraHeaders = "")
    {
        var content = Encoding.UTF8.GetBytes(page.Body);
        var reason = status switch
        {
            200 => "OK",
            400 => "Bad Request",
            401 => "Unauthorized",
            500 => "Internal Server Error",
            _ => "Not Found",
        };
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: {page.ContentType}\r\nContent-Length: {content.Length}\r\nConnection: close\r\n" +
            $"Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n" +
            $"Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'\r\n{extraHeaders}\r\n");
        return [.. head, .. content];
    }
}
