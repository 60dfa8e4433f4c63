using System.Text;
using System.Text.Json;
using CloudGateway.Security;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Logging;

/// <summary>
/// Loggers that write each event both to an inner factory's logger (the console of the service, say) and, as one
/// JSON object per line, to an owner-only file: the shape the service's JSON console writes, which
/// <see cref="LogFileReader"/> reads back.
/// </summary>
internal sealed class JsonLinesLoggerFactory : ILoggerFactory
{
    private readonly ILoggerFactory? _inner;
    private readonly StreamWriter _writer;
    private readonly object _gate = new();

    private JsonLinesLoggerFactory(ILoggerFactory? inner, StreamWriter writer)
    {
        _inner = inner;
        _writer = writer;
    }

    /// <summary>Opens (or creates owner-only, with its folder) the file at <paramref name="path"/> for appending.</summary>
    public static JsonLinesLoggerFactory Open(string path, ILoggerFactory? inner)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            OwnerOnlyAccess.CreateFolder(Path.GetDirectoryName(fullPath)!);
            if (!File.Exists(fullPath))
            {
                OwnerOnlyAccess.CreateEmptyFile(fullPath);
            }

            var stream = new FileStream(fullPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            return new JsonLinesLoggerFactory(inner, new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            GatewayException.ThrowIfInvalid("The relay's log file", fullPath, [new ValidationProblem("LogPath", $"'{fullPath}' cannot be written: {ex.Message}")]);
            throw;
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName, _inner?.CreateLogger(categoryName));

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => _inner?.AddProvider(provider);

    /// <summary>Closes the file; the inner factory belongs to whoever gave it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    private void Write<TState>(string category, LogLevel level, EventId eventId, TState state, string message, Exception? exception)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("EventId", eventId.Id);
            json.WriteString("LogLevel", level.ToString());
            json.WriteString("Category", category);
            json.WriteString("Message", EscapingText(exception is null ? message : $"{message} ({exception.GetType().Name}: {exception.Message})"));
            json.WriteStartObject("State");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values.Where(v => v.Key != "{OriginalFormat}"))
                {
                    json.WriteString(key, EscapingText(value));
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.ToArray());
        lock (_gate)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // An event after the relay stopped: the file is closed.
            }
        }
    }

    private static string? EscapingText(object? value) => value is null ? null : Relay.EscapingLogger.Escape(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);

    private sealed class FileLogger(JsonLinesLoggerFactory owner, string category, ILogger? inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner?.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information || (inner?.IsEnabled(logLevel) ?? false);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            inner?.Log(logLevel, eventId, state, exception, formatter);
            if (logLevel >= LogLevel.Information)
            {
                owner.Write(category, logLevel, eventId, state, formatter(state, exception), exception);
            }
        }
    }
}
