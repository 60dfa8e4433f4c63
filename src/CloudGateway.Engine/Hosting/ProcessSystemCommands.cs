using System.Diagnostics;

namespace CloudGateway.Hosting;

/// <summary>Runs system commands as child processes, each bounded in time.</summary>
internal sealed class ProcessSystemCommands : ISystemCommands
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    public string? Find(string program) => ExecutableSearch.Find(program);

    /// <inheritdoc />
    public bool IsSystemdRunning() => Directory.Exists("/run/systemd/system");

    /// <inheritdoc />
    public SystemCommandResult Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new GatewayException(GatewayErrorCode.SystemCommandFailed, $"'{program}' could not be started.", program);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new GatewayException(GatewayErrorCode.SystemCommandFailed, $"'{program} {string.Join(' ', arguments)}' did not finish within {Timeout.TotalSeconds} s.", program);
        }

        return new SystemCommandResult(process.ExitCode, (output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult()).Trim());
    }
}
