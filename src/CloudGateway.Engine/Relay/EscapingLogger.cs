using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CloudGateway.Relay;

/// <summary>
/// Wraps the relay's logger so every rendered message has its control characters escaped (<c>\r</c>, <c>\n</c>,
/// <c>\t</c>, <c>\uXXXX</c>): names a client sent cannot forge log lines or drive a terminal, whatever the log format.
/// </summary>
internal sealed class EscapingLogger(ILogger inner) : ILogger
{
    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(IsUnsafe).ToArray());

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, (s, e) => Escape(formatter(s, e)));

    /// <summary>The text with each control character (and the Unicode line and paragraph separators) written as an escape.</summary>
    public static string Escape(string text)
    {
        if (!text.AsSpan().ContainsAny(Unsafe))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\r' => escaped.Append("\\r"),
                '\n' => escaped.Append("\\n"),
                '\t' => escaped.Append("\\t"),
                _ when IsUnsafe(c) => escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

}
