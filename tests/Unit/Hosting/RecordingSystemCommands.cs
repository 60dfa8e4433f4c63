using CloudGateway.Hosting;

namespace CloudGateway.Tests.Hosting;

/// <summary>Pretends that the given programs are installed and records every command instead of running it.</summary>
internal sealed class RecordingSystemCommands(params string[] installed) : ISystemCommands
{
    public List<string> Commands { get; } = [];

    public Func<IReadOnlyList<string>, int> ExitCode { get; init; } = _ => 0;

    /// <summary>What `systemctl show --property=LoadState` prints.</summary>
    public string LoadState { get; init; } = "loaded";

    public bool SystemdRunning { get; init; } = true;

    public bool IsSystemdRunning() => SystemdRunning;

    public string? Find(string program) => installed.Contains(program) ? "/usr/bin/" + program : null;

    public SystemCommandResult Run(string program, IReadOnlyList<string> arguments)
    {
        Commands.Add(Path.GetFileName(program) + " " + string.Join(' ', arguments));
        return new SystemCommandResult(ExitCode(arguments), arguments[0] == "show" ? LoadState : "recorded");
    }
}
