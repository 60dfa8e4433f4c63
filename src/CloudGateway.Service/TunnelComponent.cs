using CloudGateway.Client.Providers;
using CloudGateway.Tunnels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Service;

/// <summary>
/// Runs the tenant-side tunnels given with <c>--tunnel</c> for the life of the service, so a tenant keeps them up
/// without a PowerShell session. Providers are read from the same database the cmdlets write (Add-CloudProvider).
/// </summary>
internal sealed partial class TunnelComponent(ServiceOptions options, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("CloudGateway.Service");
    private IProviderStore? _store;
    private TunnelRegistry? _tunnels;

    /// <summary>The running tunnels (empty before start).</summary>
    public IReadOnlyList<CloudTunnel> Tunnels => _tunnels?.Tunnels ?? [];

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _store = options.OpenProviderStore();
        _tunnels = new TunnelRegistry(null, loggerFactory);
        var providers = new ProviderOperations(_store, loggerFactory: loggerFactory);
        foreach (var tunnel in options.Tunnels)
        {
            var started = _tunnels.Start(tunnel.Provider, tunnel.Resource, providers.CreateClient(tunnel.Provider), tunnel.LocalEndPoint, tunnel.Resumable);
            LogTunnelStarted(started.Id, started.LocalEndPoint.ToString(), started.Provider, started.Resource);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_tunnels is null)
        {
            return;
        }

        foreach (var tunnel in _tunnels.Tunnels)
        {
            LogTunnelStopping(tunnel.Id, tunnel.Connections, tunnel.BytesSent, tunnel.BytesReceived);
        }

        await _tunnels.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_tunnels is not null)
        {
            await _tunnels.DisposeAsync().ConfigureAwait(false);
        }

        _store?.Dispose();
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Tunnel {Id} listening on {EndPoint} for {Provider}/{Resource}")]
    private partial void LogTunnelStarted(int id, string endPoint, string provider, string resource);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Tunnel {Id} stopping after {Connections} connections, {BytesSent} bytes sent and {BytesReceived} received")]
    private partial void LogTunnelStopping(int id, long connections, long bytesSent, long bytesReceived);
}
