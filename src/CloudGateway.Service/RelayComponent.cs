using CloudGateway.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Service;

/// <summary>
/// Runs the relay for the life of the service: starts it with the host, and on SIGTERM or Ctrl+C drains it for up
/// to the drain timeout before the host exits. At start it logs a warning for each database or key file other users may read.
/// </summary>
internal sealed partial class RelayComponent(ServiceOptions options, ILoggerFactory loggerFactory) : IHostedService, IServiceLiveness, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("CloudGateway.Service");
    private RelayRunner? _runner;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _runner = await RelayRunner.StartAsync(options.OpenStore, options.Relay, loggerFactory, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGTERM or Ctrl+C while starting: nothing runs yet, so the host stops at once and exits 0.
            LogStoppedBeforeStart();
            return;
        }

        foreach (var gateway in _runner.GetStatus().Gateways)
        {
            if (gateway.Listening)
            {
                LogListening(gateway.Gateway, gateway.LocalEndPoint?.ToString());
            }
            else
            {
                LogNotListening(gateway.Gateway, gateway.Error);
            }
        }

        foreach (var note in _runner.GetFileAccessNotes())
        {
            LogFileAccess(note.Message);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_runner is null)
        {
            return;
        }

        LogDraining(options.Relay.DrainTimeout.TotalSeconds);
        await _runner.StopAsync(options.Relay.DrainTimeout, cancellationToken).ConfigureAwait(false);
        var status = _runner.GetStatus();
        LogStopped(status.BytesIn, status.BytesOut);
    }

    /// <summary>Whether every relay loop runs: what keeps the systemd watchdog fed.</summary>
    public Task<bool> IsResponsiveAsync(TimeSpan timeout) => _runner?.Host.IsResponsiveAsync(timeout) ?? Task.FromResult(true);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_runner is not null)
        {
            await _runner.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Gateway {Gateway} listening on {EndPoint}")]
    private partial void LogListening(string gateway, string? endPoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Gateway {Gateway} is not listening: {Error}")]
    private partial void LogNotListening(string gateway, string? error);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Stopping: draining sessions for up to {DrainSeconds} s")]
    private partial void LogDraining(double drainSeconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Relay stopped after relaying {BytesIn} bytes in and {BytesOut} bytes out")]
    private partial void LogStopped(long bytesIn, long bytesOut);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Stopped (SIGTERM or Ctrl+C) before the relay had started")]
    private partial void LogStoppedBeforeStart();

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Finding}")]
    private partial void LogFileAccess(string finding);
}
