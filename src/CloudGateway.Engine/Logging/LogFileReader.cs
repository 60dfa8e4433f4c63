using System.Globalization;
using System.Text.Json;

namespace CloudGateway.Logging;

/// <summary>
/// Reads a log file of JSON lines (a relay's -LogPath file, or the service's JSON console saved to a file) as
/// <see cref="LogEntry"/> objects: the last lines, or new lines as they are written. Lines that are not such an
/// object are passed over.
/// </summary>
public static class LogFileReader
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The entries of the file with one of <paramref name="eventIds"/> (all when null), only the last
    /// <paramref name="tail"/> of them when given; NotFound when the file is missing.
    /// </summary>
    public static IReadOnlyList<LogEntry> Read(string path, int? tail = null, IReadOnlyCollection<int>? eventIds = null)
    {
        using var reader = OpenReader(path);
        var pending = string.Empty;
        var entries = TakeWholeLines(reader, ref pending, eventIds);
        return tail is { } count ? entries.TakeLast(count).ToList() : entries;
    }

    /// <summary>
    /// The entries like <see cref="Read"/>, then each new one as it is written, until <paramref name="cancellationToken"/>
    /// is cancelled.
    /// </summary>
    public static IEnumerable<LogEntry> Follow(string path, int? tail, IReadOnlyCollection<int>? eventIds, CancellationToken cancellationToken)
    {
        using var reader = OpenReader(path);
        var pending = string.Empty;
        var first = TakeWholeLines(reader, ref pending, eventIds);
        foreach (var entry in tail is { } count ? first.TakeLast(count) : first)
        {
            yield return entry;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var added = TakeWholeLines(reader, ref pending, eventIds);
            foreach (var entry in added)
            {
                yield return entry;
            }

            if (added.Count == 0)
            {
                cancellationToken.WaitHandle.WaitOne(FollowInterval);
            }
        }
    }

    /// <summary>One line as an entry, or null when it is not one.</summary>
    public static LogEntry? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Message", out var message))
            {
                return null;
            }

            var state = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("State", out var values) && values.ValueKind == JsonValueKind.Object)
            {
                foreach (var value in values.EnumerateObject().Where(v => v.Name != "{OriginalFormat}" && v.Name != "Message"))
                {
                    state[value.Name] = value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText();
                }
            }

            return new LogEntry(
                root.TryGetProperty("Timestamp", out var time) && DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : default,
                root.TryGetProperty("LogLevel", out var level) ? level.GetString() ?? string.Empty : string.Empty,
                root.TryGetProperty("EventId", out var id) && id.TryGetInt32(out var number) ? number : 0,
                root.TryGetProperty("Category", out var category) ? category.GetString() ?? string.Empty : string.Empty,
                message.GetString() ?? string.Empty,
                state);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StreamReader OpenReader(string path)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            return new StreamReader(new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new GatewayException(GatewayErrorCode.NotFound, $"There is no log file '{fullPath}'; start the relay with -LogPath to write one.", fullPath, ex);
        }
    }

    // Everything written since the last read, as entries; a last line without its line feed yet waits in pending.
    private static List<LogEntry> TakeWholeLines(StreamReader reader, ref string pending, IReadOnlyCollection<int>? eventIds)
    {
        var text = pending + reader.ReadToEnd();
        var end = text.LastIndexOf('\n');
        pending = text[(end + 1)..];
        return end < 0
            ? []
            : text[..end].Split('\n').Select(Parse).OfType<LogEntry>().Where(e => eventIds is null || eventIds.Contains(e.EventId)).ToList();
    }
}
