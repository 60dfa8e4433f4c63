using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using CloudGateway.Certificates;
using CloudGateway.Model;
using CloudGateway.Protocol;
using CloudGateway.Security;
using CloudGateway.Storage;
using CloudGateway.Tests.Relay;

namespace CloudGateway.Tests.Service;

// SIGTERM is a POSIX signal; CI runs on Linux.
[SupportedOSPlatform("linux")]
public sealed class ServiceProcessTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new();
    private readonly EchoBackend _echo = new();

    public async ValueTask DisposeAsync()
    {
        await _echo.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Service_SigtermWithLiveSession_StopsAcceptingDrainsAndExitsZero()
    {
        var database = _folder.File("config.db");
        var port = FreeLoopbackPort();
        string thumbprint;
        using (var store = ConfigurationDatabase.Open(database))
        {
            store.AddGateway(new Gateway { Name = "gw1", Address = "127.0.0.1", ListenAddress = "127.0.0.1", Port = port, InternalPort = port });
            store.AddTenant(new Tenant { Name = "acme" }, PasswordHasher.Hash("tenant-password"));
            store.AddResource(new TenantResource { Tenant = "acme", Name = "echo", TargetHost = "127.0.0.1", TargetPort = _echo.Port });
            thumbprint = new GatewayCertificateManager(store).Create(new NewCertificateOptions(), force: false).Thumbprint;
        }

        using var service = ServiceProcess.Start("--database", database, "--gateway", "gw1", "--drain-timeout", "20");
        var listening = await service.WaitForEventAsync(100, Timeout);
        Assert.Equal($"127.0.0.1:{port}", listening.GetProperty("State").GetProperty("EndPoint").GetString());

        await using var session = await OpenSessionAsync(port, thumbprint);
        await AssertEchoesAsync(session, 1 << 20);

        var stopwatch = Stopwatch.StartNew();
        service.Terminate();
        await service.WaitForEventAsync(102, Timeout);
        await AssertRefusedAsync(port);
        await AssertEchoesAsync(session, 64 * 1024);
        await session.ShutdownAsync();
        await session.DisposeAsync();

        Assert.True(await service.WaitForExitAsync(Timeout), "the service did not exit after its last session ended");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"the service took {stopwatch.Elapsed} to stop, though its last session ended at once");
        Assert.Equal(0, service.ExitCode);
        var stopped = await service.WaitForEventAsync(103, TimeSpan.FromSeconds(1));
        Assert.True(stopped.GetProperty("State").GetProperty("BytesIn").GetInt64() >= (1 << 20) + (64 * 1024));
        Assert.Empty(service.NonJsonLines);
        Assert.DoesNotContain(service.Lines, line => line.GetRawText().Contains("tenant-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Service_SigtermWithNothingOpen_ExitsZeroAtOnceNotAtTheDrainTimeout()
    {
        var database = _folder.File("config.db");
        var port = FreeLoopbackPort();
        using (var store = ConfigurationDatabase.Open(database))
        {
            store.AddGateway(new Gateway { Name = "gw1", Address = "127.0.0.1", ListenAddress = "127.0.0.1", Port = port, InternalPort = port });
            new GatewayCertificateManager(store).Create(new NewCertificateOptions(), force: false);
        }

        using var service = ServiceProcess.Start("--database", database, "--gateway", "gw1", "--drain-timeout", "30");
        await service.WaitForEventAsync(100, Timeout);
        var stopwatch = Stopwatch.StartNew();
        service.Terminate();

        Assert.True(await service.WaitForExitAsync(Timeout), "the service did not exit");
        Console.WriteLine($"Service with nothing open stopped {stopwatch.Elapsed.TotalSeconds:F2} s after SIGTERM (drain timeout 30 s)");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the service took {stopwatch.Elapsed} to stop with nothing to drain");
        Assert.Equal(0, service.ExitCode);
    }

    [Fact]
    public async Task Service_SigtermWhileTheDatabaseDoesNotAnswer_ExitsZeroAtOnceWithoutAStackTrace()
    {
        // A PostgreSQL address that accepts connections into its backlog and never answers.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var port = ((IPEndPoint)silent.LocalEndpoint).Port;
            var environment = new Dictionary<string, string> { ["CLOUDGATEWAY_CONNECTION_STRING"] = $"Host=127.0.0.1;Port={port};Database=cg;Username=cg;Password=unused-secret;Timeout=120" };
            using var service = ServiceProcess.Start(environment, "--drain-timeout", "30");
            await Task.Delay(TimeSpan.FromSeconds(3));
            var stopwatch = Stopwatch.StartNew();
            service.Terminate();

            Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the service did not exit");
            Console.WriteLine($"Service still opening its database stopped {stopwatch.Elapsed.TotalSeconds:F2} s after SIGTERM");
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the service waited {stopwatch.Elapsed} for a database that does not answer");
            Assert.Equal(0, service.ExitCode);
            Assert.Empty(service.NonJsonLines);
            await service.WaitForEventAsync(105, TimeSpan.FromSeconds(1));
            Assert.DoesNotContain(service.Lines, line => line.GetProperty("LogLevel").GetString() is "Error" or "Critical");
            Assert.DoesNotContain(service.Lines, line => line.GetRawText().Contains("unused-secret", StringComparison.Ordinal));
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task Service_UnderSystemd_SaysReadyAfterListeningKeepsTheWatchdogAndSaysStopping()
    {
        var database = _folder.File("config.db");
        var port = FreeLoopbackPort();
        using (var store = ConfigurationDatabase.Open(database))
        {
            store.AddGateway(new Gateway { Name = "gw1", Address = "127.0.0.1", ListenAddress = "127.0.0.1", Port = port, InternalPort = port });
            new GatewayCertificateManager(store).Create(new NewCertificateOptions(), force: false);
        }

        // What systemd gives a Type=notify unit: a datagram socket to write to, and the watchdog interval.
        var socketPath = _folder.File("notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        var environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "1000000" };
        using var service = ServiceProcess.Start(environment, "--database", database, "--gateway", "gw1");

        Assert.Equal("READY=1", await ReceiveAsync(notify));
        await service.WaitForEventAsync(100, TimeSpan.FromSeconds(5));
        Assert.Equal("WATCHDOG=1", await ReceiveAsync(notify));
        Assert.Equal("WATCHDOG=1", await ReceiveAsync(notify));
        service.Terminate();
        string message;
        do
        {
            message = await ReceiveAsync(notify);
        }
        while (message == "WATCHDOG=1");

        Assert.Equal("STOPPING=1", message);
        Assert.True(await service.WaitForExitAsync(Timeout));
        Assert.Equal(0, service.ExitCode);
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[256];
        var length = await socket.ReceiveAsync(buffer).WaitAsync(Timeout);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }

    [Fact]
    public async Task Service_NoCertificate_LogsWhyAndExitsOne()
    {
        var database = _folder.File("empty.db");
        ConfigurationDatabase.Open(database).Dispose();

        using var service = ServiceProcess.Start("--database", database);

        Assert.True(await service.WaitForExitAsync(Timeout));
        Assert.Equal(1, service.ExitCode);
        Assert.Contains(service.Lines, line => line.GetProperty("LogLevel").GetString() == "Critical" && line.GetProperty("Message").GetString()!.Contains("certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Service_BadCommandLine_ExitsTwo()
    {
        using var service = ServiceProcess.Start("--drain-timeout", "soon", "--listen-port", "70000");

        Assert.True(await service.WaitForExitAsync(Timeout));
        Assert.Equal(2, service.ExitCode);
        Assert.Contains(service.NonJsonLines, line => line.Contains("--drain-timeout", StringComparison.Ordinal) && line.Contains("--listen-port", StringComparison.Ordinal));
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static async Task<TlsSession> OpenSessionAsync(int port, string thumbprint)
    {
        var tls = await ConnectTlsAsync(port, thumbprint);
        await tls.WriteAsync(FrameCodec.Encode(new Hello { Tenant = "acme", Password = "tenant-password", Resource = "echo" })).AsTask().WaitAsync(Timeout);
        var buffer = new byte[WireProtocol.MaxFrameBytes];
        var (length, extra) = await FrameCodec.ReadFrameAsync(tls, buffer, CancellationToken.None).AsTask().WaitAsync(Timeout);
        var answer = FrameCodec.DecodeAnswer(buffer.AsSpan(0, length));
        Assert.True(answer.Accepted, $"refused: {answer.Reason}");
        Assert.Equal(0, extra);
        Assert.Contains(answer.Gateways, g => g.Name == "gw1" && g.Port == port);
        return new TlsSession(tls);
    }

    private static async Task<SslStream> ConnectTlsAsync(int port, string thumbprint)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeout);
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())) == thumbprint
                && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None,
        }).WaitAsync(Timeout);
        return tls;
    }

    private static async Task AssertEchoesAsync(TlsSession session, int size)
    {
        var sent = RandomNumberGenerator.GetBytes(size);
        var writing = session.Tls.WriteAsync(sent).AsTask();
        var received = new byte[size];
        var filled = 0;
        while (filled < size)
        {
            var read = await session.Tls.ReadAsync(received.AsMemory(filled)).AsTask().WaitAsync(Timeout);
            Assert.NotEqual(0, read);
            filled += read;
        }

        await writing.WaitAsync(Timeout);
        Assert.Equal(SHA256.HashData(sent), SHA256.HashData(received));
    }

    private static async Task AssertRefusedAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Timeout)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Timeout);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("the gateway still accepted connections while draining");
    }

    private sealed class TlsSession(SslStream tls) : IAsyncDisposable
    {
        public SslStream Tls { get; } = tls;

        public async Task ShutdownAsync()
        {
            await Tls.ShutdownAsync().WaitAsync(Timeout);
            var buffer = new byte[1024];
            while (await Tls.ReadAsync(buffer).AsTask().WaitAsync(Timeout) > 0)
            {
            }
        }

        public ValueTask DisposeAsync() => Tls.DisposeAsync();
    }
}
