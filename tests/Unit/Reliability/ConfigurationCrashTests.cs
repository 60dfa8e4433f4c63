using System.Diagnostics;
using System.Reflection;
using System.Text;
using CloudGateway.Storage;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace CloudGateway.Tests.Reliability;

/// <summary>Issue 7 item 6: the SQLite configuration survives SIGKILL at random moments and many concurrent writer processes.</summary>
[Collection(SerialReliability.Name)]
[Trait("Category", "Long")]
public sealed class ConfigurationCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cloudgateway-crash-").FullName;

    private static string Writer => typeof(ConfigurationCrashTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "StoreWriterPath").Value!;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task WriterKilledAtRandomMoments_IntegrityOkAndEveryReportedCommitPresent()
    {
        var cycles = int.TryParse(Environment.GetEnvironmentVariable("CLOUDGATEWAY_CRASH_CYCLES"), out var c) ? c : 200;
        var path = Path.Combine(_folder, "crash.db");
        var random = new Random(2026);
        var reported = 0;
        var killedWithNothingReported = 0;
        var total = Stopwatch.StartNew();
        for (var cycle = 0; cycle < cycles; cycle++)
        {
            using var process = Start(path, cycle.ToString(System.Globalization.CultureInfo.InvariantCulture), "loop", redirectOutput: true);
            var text = new StringBuilder();
            var reader = ReadAllAsync(process, text);
            await WaitForAsync(() => Contains(text, "ready\n") || process.HasExited, TimeSpan.FromSeconds(30));
            if (process.HasExited)
            {
                Assert.Fail($"the writer exited before it was killed: {await process.StandardError.ReadToEndAsync()}");
            }

            await Task.Delay(random.Next(50, 151));
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await reader.WaitAsync(TimeSpan.FromSeconds(10));

            string all;
            lock (text)
            {
                all = text.ToString();
            }

            // Only whole lines: a name is printed after its commit returned, and a line cut by the kill is not a report.
            var committed = all[..(all.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            reported += committed.Count;
            killedWithNothingReported += committed.Count == 0 ? 1 : 0;
            Assert.Equal("ok", IntegrityCheck(path));
            using var store = ConfigurationDatabase.Open(path);
            var names = store.GetGateways().Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
            var missing = committed.Where(n => !names.Contains(n)).ToList();
            Assert.True(missing.Count == 0, $"cycle {cycle}: reported committed but missing: {string.Join(", ", missing)}");
        }

        using var final = ConfigurationDatabase.Open(path);
        var rows = final.GetGateways().Count;
        output.WriteLine($"{cycles} SIGKILLs in {total.Elapsed.TotalSeconds:F0} s: integrity_check ok every time; {reported} changes reported committed, all present ({rows} rows in total, so {rows - reported} committed but killed before the report); {killedWithNothingReported} kills before the first commit");
        Assert.True(reported > cycles, "the writers hardly committed anything before being killed");
        Assert.InRange(rows - reported, 0, cycles);
    }

    [Fact]
    public void EightProcessesFiveHundredChangesEach_AllPresentNoLockErrors()
    {
        const int Writers = 8;
        const int Changes = 500;
        var path = Path.Combine(_folder, "shared.db");
        var watch = Stopwatch.StartNew();
        var processes = Enumerable.Range(1, Writers).Select(i => Start(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture), Changes.ToString(System.Globalization.CultureInfo.InvariantCulture), redirectOutput: false)).ToList();
        var errors = new List<string>();
        try
        {
            foreach (var process in processes)
            {
                Assert.True(process.WaitForExit(TimeSpan.FromMinutes(4)), "a writer did not finish in 4 minutes");
                var error = process.StandardError.ReadToEnd();
                errors.Add(error);
                Assert.True(process.ExitCode == 0, error);
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }

        Assert.All(errors, e => Assert.DoesNotContain("locked", e, StringComparison.OrdinalIgnoreCase));
        using var store = ConfigurationDatabase.Open(path);
        var names = store.GetGateways().Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var expected = Enumerable.Range(1, Writers).SelectMany(w => Enumerable.Range(0, Changes).Select(i => $"w{w}-{i:D4}")).ToList();
        Assert.All(expected, n => Assert.Contains(n, names));
        Assert.Equal(Writers * Changes, names.Count);
        Assert.Equal("ok", IntegrityCheck(path));
        output.WriteLine($"{Writers} processes x {Changes} changes in {watch.Elapsed.TotalSeconds:F1} s: {names.Count} rows present, integrity ok, no writer saw an error");
    }

    private static Process Start(string path, string id, string changes, bool redirectOutput)
    {
        Assert.True(File.Exists(Writer), $"{Writer} was not built");
        return Process.Start(new ProcessStartInfo("dotnet", [Writer, path, id, changes])
        {
            RedirectStandardOutput = redirectOutput,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
    }

    private static async Task ReadAllAsync(Process process, StringBuilder text)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            lock (text)
            {
                text.Append(buffer, 0, read);
            }
        }
    }

    private static bool Contains(StringBuilder text, string value)
    {
        lock (text)
        {
            return text.ToString().Contains(value, StringComparison.Ordinal);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < timeout, $"timed out after {timeout}");
            await Task.Delay(5);
        }
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
