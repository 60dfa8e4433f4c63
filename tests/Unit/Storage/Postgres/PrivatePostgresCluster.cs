using System.Diagnostics;

namespace CloudGateway.Tests.Storage.Postgres;

/// <summary>
/// A PostgreSQL cluster of one test's own (tests/postgres/start-postgres.sh in a fresh folder), for tests that stop
/// and restart the server without disturbing the shared one. It restarts on the same port.
/// </summary>
internal sealed class PrivatePostgresCluster : IDisposable
{
    private readonly string _directory = Path.Combine("/tmp", "cloudgateway-pg-" + Guid.NewGuid().ToString("N")[..12]);

    public PrivatePostgresCluster() => ConnectionString = Start();

    public string ConnectionString { get; }

    public string Start() => RunScript("start-postgres.sh", _directory).Trim();

    public void Stop() => RunScript("stop-postgres.sh", _directory);

    public void Dispose() => RunScript("stop-postgres.sh", "--remove", _directory);

    private static string RunScript(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "tests", "postgres", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within 120 s");
        }

        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {error.Result}");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CloudGateway.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("CloudGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
