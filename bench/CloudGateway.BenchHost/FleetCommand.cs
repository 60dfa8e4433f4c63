using System.Diagnostics;
using System.Globalization;
using CloudGateway.Storage;
using Npgsql;

namespace CloudGateway.BenchHost;

/// <summary>
/// <c>fleet CONNECTION_STRING RELAYS RATE SECONDS</c> (issue 18 item 4): RELAYS relay processes (<see cref="FleetFollower"/>)
/// on one PostgreSQL estate. Measures how long single tenant changes take to be served by every relay, then makes
/// RATE changes a second for SECONDS and measures the relays' lag and the load on the database (its processes' CPU,
/// transactions and rows read, from pg_stat_database) and on the relays. Prints one key=value line.
/// </summary>
internal static class FleetCommand
{
    private const int SingleChanges = 5;
    private const int Writers = 4;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string connectionString, int relays, int rate, int seconds)
    {
        using var store = ConfigurationDatabase.OpenLocation(connectionString);
        var tenants = store.GetTenants().Where(t => !ScaleEstate.UsesPools(IndexOf(t.Name))).Select(t => t.Name).Take(100).ToList();
        var followers = Enumerable.Range(0, relays).Select(i => Follower.Start($"edge-standalone-{i:00}", connectionString)).ToList();
        try
        {
            await Task.WhenAll(followers.Select(f => f.Ready.WaitAsync(TimeSpan.FromMinutes(2)))).ConfigureAwait(false);

            var single = new List<double>();
            for (var i = 0; i < SingleChanges; i++)
            {
                var (counter, at) = Change(store, tenants[i], i);
                single.Add(await AllSeenAsync(followers, counter).ConfigureAwait(false) - at);
            }

            var before = DatabaseLoad.Read(connectionString, followers);
            var started = Stopwatch.StartNew();
            var changes = await LoadAsync(store, tenants, rate, seconds, started).ConfigureAwait(false);
            var loadSeconds = started.Elapsed.TotalSeconds;
            var after = DatabaseLoad.Read(connectionString, followers);
            var last = changes.Max(c => c.Counter);
            await AllSeenAsync(followers, last).ConfigureAwait(false);
            var lags = changes.SelectMany(c => followers.Select(f => (f.FirstSeen(c.Counter) - c.At) / 1000.0)).Order().ToList();
            var load = after.Minus(before, loadSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"relays={relays} tenants={store.GetTenants().Count} rate={rate} single_change_all_seen_ms={Median(single) / 1000.0:0.0} " +
                $"single_change_all_seen_runs_ms={string.Join(',', single.Select(s => (s / 1000.0).ToString("0.0", CultureInfo.InvariantCulture)))} " +
                $"load_changes={changes.Count} load_rate={changes.Count / loadSeconds:0.0} lag_p50_ms={lags[lags.Count / 2]:0.0} " +
                $"lag_p99_ms={lags[(int)(lags.Count * 0.99)]:0.0} lag_max_ms={lags[^1]:0.0} reloads_per_relay={followers.Average(f => f.Reloads(before.At, after.At)):0.0} " +
                $"{load.Fields()}"));
            return 0;
        }
        finally
        {
            foreach (var follower in followers)
            {
                follower.Dispose();
            }
        }
    }

    /// <summary>
    /// Change i is due <c>i / rate</c> seconds after the start; a few writers share the schedule, because one change
    /// (a SERIALIZABLE transaction and its retries) may take longer than the interval between two.
    /// </summary>
    private static async Task<List<(long Counter, long At)>> LoadAsync(IConfigurationStore store, List<string> tenants, int rate, int seconds, Stopwatch started)
    {
        var changes = new List<(long Counter, long At)>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteAsync))).ConfigureAwait(false);
        return changes;

        async Task WriteAsync()
        {
            while (Interlocked.Increment(ref next) is var i && i < rate * seconds)
            {
                var wait = TimeSpan.FromSeconds((double)i / rate) - started.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                }

                var change = Change(store, tenants[i % tenants.Count], i + SingleChanges);
                lock (changes)
                {
                    changes.Add(change);
                }
            }
        }
    }

    private static int IndexOf(string tenant) => int.Parse(tenant[^5..], CultureInfo.InvariantCulture);

    /// <summary>
    /// One change and when it was committed. With several writers the counter read after it may already be a later
    /// one's, which makes its lag look longer, never shorter.
    /// </summary>
    private static (long Counter, long At) Change(IConfigurationStore store, string tenant, int index)
    {
        store.UpdateTenant(tenant, t => t with { Description = $"fleet change {index}" });
        var at = FleetClock.NowMicroseconds();
        return (store.GetChangeCounter(), at);
    }

    /// <summary>Waits until every relay serves <paramref name="counter"/>; returns when the last one did (microseconds).</summary>
    private static async Task<long> AllSeenAsync(List<Follower> followers, long counter)
    {
        var waited = Stopwatch.StartNew();
        while (followers.Any(f => f.FirstSeen(counter) == long.MaxValue))
        {
            if (waited.Elapsed > Limit)
            {
                throw new TimeoutException($"not every relay served change {counter} within {Limit.TotalSeconds} s");
            }

            await Task.Delay(5).ConfigureAwait(false);
        }

        return followers.Max(f => f.FirstSeen(counter));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>One relay process and the counters it reported, with when.</summary>
    private sealed class Follower : IDisposable
    {
        private readonly Process _process;
        private readonly List<(long Counter, long At)> _seen = [];
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _reading;

        private Follower(Process process)
        {
            _process = process;
            _reading = ReadAsync();
        }

        public Task Ready => _ready.Task;

        public int ProcessId => _process.Id;

        public static Follower Start(string gateway, string connectionString)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                start.ArgumentList.Add(typeof(FleetCommand).Assembly.Location);
            }

            foreach (var argument in new[] { "follow", connectionString, gateway })
            {
                start.ArgumentList.Add(argument);
            }

            return new Follower(Process.Start(start)!);
        }

        /// <summary>When this relay first served <paramref name="counter"/> or a later one; long.MaxValue when not yet.</summary>
        public long FirstSeen(long counter)
        {
            lock (_seen)
            {
                var index = _seen.FindIndex(s => s.Counter >= counter);
                return index < 0 ? long.MaxValue : _seen[index].At;
            }
        }

        /// <summary>How many reloads the relay reported between two wall-clock times (microseconds).</summary>
        public int Reloads(long from, long to)
        {
            lock (_seen)
            {
                return _seen.Count(s => s.At >= from && s.At < to);
            }
        }

        public void Dispose()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill();
            }

            _reading.Wait(TimeSpan.FromSeconds(5));
            _process.Dispose();
        }

        private async Task ReadAsync()
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                var parts = line.Split(' ');
                if (parts.Length == 3 && parts[0] is "ready" or "seen")
                {
                    lock (_seen)
                    {
                        _seen.Add((long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture)));
                    }

                    _ready.TrySetResult();
                }
            }
        }
    }

    /// <summary>The database's and the relays' work so far: CPU of their processes, and pg_stat_database's counters.</summary>
    private sealed record DatabaseLoad(long At, double DatabaseCpuSeconds, double RelayCpuSeconds, long Commits, long RowsReturned, long RowsFetched)
    {
        public static DatabaseLoad Read(string connectionString, List<Follower> followers)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT xact_commit, tup_returned, tup_fetched FROM pg_stat_database WHERE datname = current_database()", connection);
            // The statistics a backend collected reach the view when it reports them; a fresh snapshot is asked for.
            using (var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection))
            {
                clear.ExecuteNonQuery();
            }

            // The server's processes (backends and background workers) are those pg_stat_activity lists.
            var serverProcesses = new List<int>();
            using (var processes = new NpgsqlCommand("SELECT pid FROM pg_stat_activity", connection))
            using (var pids = processes.ExecuteReader())
            {
                while (pids.Read())
                {
                    serverProcesses.Add(pids.GetInt32(0));
                }
            }

            using var reader = command.ExecuteReader();
            reader.Read();
            return new DatabaseLoad(
                FleetClock.NowMicroseconds(),
                serverProcesses.Sum(ProcessCpu.OfProcess),
                followers.Sum(f => ProcessCpu.OfProcess(f.ProcessId)),
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetInt64(2));
        }

        /// <summary>The load per second between <paramref name="before"/> and this reading.</summary>
        public DatabaseLoad Minus(DatabaseLoad before, double seconds) => new(
            At - before.At,
            (DatabaseCpuSeconds - before.DatabaseCpuSeconds) / seconds,
            (RelayCpuSeconds - before.RelayCpuSeconds) / seconds,
            (long)((Commits - before.Commits) / seconds),
            (long)((RowsReturned - before.RowsReturned) / seconds),
            (long)((RowsFetched - before.RowsFetched) / seconds));

        public string Fields() => string.Create(CultureInfo.InvariantCulture,
            $"db_cpu_percent={DatabaseCpuSeconds * 100:0.0} relays_cpu_percent={RelayCpuSeconds * 100:0.0} db_commits_per_s={Commits} " +
            $"db_rows_returned_per_s={RowsReturned} db_rows_fetched_per_s={RowsFetched}");
    }
}
