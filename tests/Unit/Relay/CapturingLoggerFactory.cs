using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Tests.Relay;

/// <summary>Collects every log event, with its id and rendered message, so tests can assert the audit trail.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
{
    public ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Enqueue((eventId, logLevel, formatter(state, exception) + (exception is null ? string.Empty : " " + exception.Message)));

    public bool Has(int eventId) => Events.Any(e => e.Id.Id == eventId);

    public string AllText() => string.Join('\n', Events.Select(e => e.Message));
}
