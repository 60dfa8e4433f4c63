using System.Net;
using System.Text;
using CloudGateway.Logging;
using CloudGateway.Relay;

namespace CloudGateway.Tests.Logging;

public sealed class LogFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void RelayEvent_WrittenToTheFile_ReadBackWithItsIdLevelAndValuesOwnerOnly()
    {
        var path = _folder.File("logs/relay.log");
        using (var file = JsonLinesLoggerFactory.Open(path, inner: null))
        {
            var logger = file.CreateLogger("CloudGateway.Relay");
            RelayLog.RefusedWrongPassword(logger, "acme\r\nforged", 3, "gw1", new IPEndPoint(IPAddress.Loopback, 40000));
            RelayLog.RefusedUnknownTenant(logger, "nobody", "gw1", null);
        }

        var entries = LogFileReader.Read(path);
        Assert.Equal([203, 202], entries.Select(e => e.EventId));
        var wrong = entries[0];
        Assert.Equal("Warning", wrong.Level);
        Assert.Equal("CloudGateway.Relay", wrong.Category);
        Assert.Equal("acme\\r\\nforged", wrong.State["Tenant"]);
        Assert.Equal("127.0.0.1:40000", wrong.State["Remote"]);
        Assert.DoesNotContain('\r', wrong.Message);
        Assert.Equal([202], LogFileReader.Read(path, tail: 1).Select(e => e.EventId));
        Assert.Equal([203], LogFileReader.Read(path, eventIds: [203]).Select(e => e.EventId));
        Assert.Single(File.ReadAllLines(path), l => l.Contains("\"EventId\":203", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder.File("logs")));
        }
    }

    [Fact]
    public async Task Follow_LinesAppendedLaterAndOneWrittenInTwoParts_EachReadOnceWhole()
    {
        var path = _folder.File("follow.log");
        await File.WriteAllTextAsync(path, Line(1) + "\nnot json\n");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<int>();
        var reading = Task.Run(() =>
        {
            foreach (var entry in LogFileReader.Follow(path, tail: null, eventIds: null, stop.Token))
            {
                lock (seen)
                {
                    seen.Add(entry.EventId);
                }

                if (entry.EventId == 3)
                {
                    stop.Cancel();
                }
            }
        });

        await using (var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false)) { AutoFlush = true })
        {
            var second = Line(2) + "\n";
            await writer.WriteAsync(second[..10]);
            await Task.Delay(600);
            await writer.WriteAsync(second[10..]);
            await writer.WriteAsync(Line(3) + "\n");
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([1, 2, 3], seen);
    }

    [Fact]
    public void Read_MissingFile_NotFoundNamingTheFile()
    {
        var error = Assert.Throws<GatewayException>(() => LogFileReader.Read(_folder.File("none.log")));

        Assert.Equal(GatewayErrorCode.NotFound, error.Code);
        Assert.Contains("none.log", error.Message, StringComparison.Ordinal);
    }

    private static string Line(int eventId) =>
        $$$"""{"Timestamp":"2026-12-03T09:00:00.000Z","EventId":{{{eventId}}},"LogLevel":"Information","Category":"CloudGateway.Relay","Message":"event {{{eventId}}}","State":{}}""";
}
