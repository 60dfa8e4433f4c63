namespace CloudGateway.Hosting;

/// <summary>Runs the operating system's service tools (systemctl, sc.exe); replaced by a recorder in tests.</summary>
internal interface ISystemCommands
{
    /// <summary>The full path of a program on PATH, or null when it is not installed.</summary>
    string? Find(string program);

    /// <summary>Whether systemd manages this machine (it was booted with systemd, as sd_booted() checks).</summary>
    bool IsSystemdRunning();

    /// <summary>Runs a program to completion and returns its exit code and what it printed.</summary>
    SystemCommandResult Run(string program, IReadOnlyList<string> arguments);
}

/// <summary>How a system command ended.</summary>
internal sealed record SystemCommandResult(int ExitCode, string Output);
