using System.Collections.Concurrent;
using System.Net;
using CloudGateway.Client;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Tunnels;

/// <summary>
/// The tunnels one owner runs (a PowerShell session or the service), numbered from 1. Stopping the registry
/// stops every tunnel in it.
/// </summary>
public sealed class TunnelRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, CloudTunnel> _tunnels = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory? _loggerFactory;
    private int _lastId;

    /// <summary>Creates an empty registry on the system clock, without logging (the cmdlets' constructor: their
    /// assembly must not name the logging abstractions, which load only inside the engine's own load context).</summary>
    public TunnelRegistry()
        : this(null, null)
    {
    }

    /// <summary>Creates an empty registry.</summary>
    public TunnelRegistry(TimeProvider? timeProvider, ILoggerFactory? loggerFactory = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The running tunnels, by Id.</summary>
    public IReadOnlyList<CloudTunnel> Tunnels => [.. _tunnels.Values.OrderBy(t => t.Id)];

    /// <summary>Starts a tunnel to <paramref name="resource"/> listening on <paramref name="localEndPoint"/>, carrying each connection in a resumable session when <paramref name="resumable"/>.</summary>
    public CloudTunnel Start(string provider, string resource, GatewayClient client, IPEndPoint localEndPoint, bool resumable = false)
    {
        var tunnel = CloudTunnel.Start(Interlocked.Increment(ref _lastId), provider, resource, client, localEndPoint,
            _timeProvider, _loggerFactory?.CreateLogger<CloudTunnel>(), resumable);
        _tunnels[tunnel.Id] = tunnel;
        return tunnel;
    }

    /// <summary>The tunnel with that Id; NotFound when there is none.</summary>
    public CloudTunnel Get(int id) => _tunnels.TryGetValue(id, out var tunnel)
        ? tunnel
        : throw new GatewayException(GatewayErrorCode.NotFound, $"There is no tunnel with Id {id}.", id);

    /// <summary>Stops the tunnel with that Id and forgets it; NotFound when there is none.</summary>
    public async Task StopAsync(int id)
    {
        var tunnel = Get(id);
        await tunnel.DisposeAsync().ConfigureAwait(false);
        _tunnels.TryRemove(id, out _);
    }

    /// <summary>Stops every tunnel.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var tunnel in Tunnels)
        {
            await StopAsync(tunnel.Id).ConfigureAwait(false);
        }
    }
}
