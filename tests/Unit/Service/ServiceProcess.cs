using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace CloudGateway.Tests.Service;

/// <summary>CloudGateway.Service as a child process: its JSON log lines as they arrive, SIGTERM, and its exit.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _lines = new();
    private readonly ConcurrentQueue<string> _nonJson = new();

    private ServiceProcess(Process process) => _process = process;

    public IReadOnlyCollection<JsonElement> Lines => _lines;

    /// <summary>Output lines that were not one JSON object each.</summary>
    public IReadOnlyCollection<string> NonJsonLines => _nonJson;

    public int ExitCode => _process.ExitCode;

    public static ServiceProcess Start(params string[] arguments) => Start(new Dictionary<string, string>(), arguments);

    /// <summary>Starts the service with <paramref name="environment"/> added to this process's environment (for secrets kept off the command line).</summary>
    public static ServiceProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var launcher = Path.Combine(AppContext.BaseDirectory, "CloudGateway.Service");
        var start = File.Exists(launcher)
            ? new ProcessStartInfo(launcher)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "CloudGateway.Service.dll") } };
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => service.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => service.Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits for a log line with <paramref name="eventId"/>, failing after <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> WaitForEventAsync(int eventId, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            foreach (var line in _lines)
            {
                if (line.TryGetProperty("EventId", out var id) && id.GetInt32() == eventId)
                {
                    return line;
                }
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No log event {eventId} within {timeout}; output so far:\n{string.Join('\n', _lines.Select(l => l.GetRawText()).Concat(_nonJson))}");
    }

    /// <summary>Sends SIGTERM, as systemd does on stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        Assert.True(kill.WaitForExit(10_000));
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Sends SIGKILL, as a crash or the OOM killer would, and waits for the process to be gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        Assert.True(_process.WaitForExit(10_000));
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            _lines.Enqueue(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            _nonJson.Enqueue(line);
        }
    }
}
