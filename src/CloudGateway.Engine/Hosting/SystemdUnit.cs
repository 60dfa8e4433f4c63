using System.Globalization;
using System.Text;

namespace CloudGateway.Hosting;

/// <summary>Writes the systemd unit that runs CloudGateway.Service.</summary>
public static class SystemdUnit
{
    /// <summary>Where systemd looks for administrators' units.</summary>
    public const string SystemUnitDirectory = "/etc/systemd/system";

    // systemd's default stop timeout is 90 s; the relay needs its drain timeout plus time to close and flush logs.
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default unit path of a service called <paramref name="serviceName"/>.</summary>
    public static string DefaultPath(string serviceName) => $"{SystemUnitDirectory}/{serviceName}.service";

    /// <summary>The unit file text for <paramref name="definition"/>.</summary>
    public static string Render(ServiceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var stopTimeout = (definition.DrainTimeout ?? DefaultDrainTimeout) + StopMargin;
        var text = new StringBuilder()
            .AppendLine("# Written by Register-CloudGatewayService; Unregister-CloudGatewayService removes it.")
            .AppendLine("[Unit]")
            .AppendLine(CultureInfo.InvariantCulture, $"Description={EscapeSpecifiers(definition.Description)}")
            .AppendLine("Wants=network-online.target")
            .AppendLine("After=network-online.target")
            .AppendLine()
            .AppendLine("[Service]")
            .AppendLine("# The service says READY=1 once its listeners are bound, WATCHDOG=1 while it runs, STOPPING=1 on a stop.")
            .AppendLine("Type=notify")
            .AppendLine("NotifyAccess=main")
            .AppendLine("WatchdogSec=30")
            .AppendLine(CultureInfo.InvariantCulture, $"ExecStart={CommandLine(definition)}")
            .AppendLine("KillSignal=SIGTERM")
            .AppendLine(CultureInfo.InvariantCulture, $"TimeoutStopSec={Math.Ceiling(stopTimeout.TotalSeconds)}")
            .AppendLine("Restart=on-failure")
            .AppendLine("RestartSec=5")
            .AppendLine("# Hardening: the system read-only but for the database's folder, no new privileges, no kernel knobs.")
            .AppendLine("NoNewPrivileges=true")
            .AppendLine("PrivateTmp=true")
            .AppendLine("ProtectSystem=strict")
            .AppendLine("ProtectHome=read-only")
            .AppendLine(CultureInfo.InvariantCulture, $"ReadWritePaths={Quote("-" + Path.GetDirectoryName(Path.GetFullPath(definition.DatabasePath)))}")
            .AppendLine("ProtectKernelTunables=true")
            .AppendLine("ProtectKernelModules=true")
            .AppendLine("ProtectControlGroups=true")
            .AppendLine("RestrictSUIDSGID=true")
            .AppendLine("RestrictRealtime=true")
            .AppendLine("LockPersonality=true")
            .AppendLine("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6");
        if (definition.User is { } user)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"User={user}")
                .AppendLine("AmbientCapabilities=CAP_NET_BIND_SERVICE");
        }

        return text
            .AppendLine()
            .AppendLine("[Install]")
            .AppendLine("WantedBy=multi-user.target")
            .ToString()
            .ReplaceLineEndings("\n");
    }

    /// <summary>The ExecStart= value: the program and every argument, quoted where systemd needs it.</summary>
    public static string CommandLine(ServiceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return string.Join(' ', definition.CommandWords().Select(Quote));
    }

    /// <summary>
    /// One ExecStart= word: double-quoted with C-style escapes when it holds blanks, quotes or backslashes, and with
    /// '%' and '$' doubled so systemd takes them literally rather than as specifiers or variables.
    /// </summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var literal = EscapeSpecifiers(word).Replace("$", "$$", StringComparison.Ordinal);
        if (literal.Length > 0 && !literal.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or ';'))
        {
            return literal;
        }

        var escaped = literal.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return $"\"{escaped}\"";
    }

    private static string EscapeSpecifiers(string text) => text.Replace("%", "%%", StringComparison.Ordinal);
}
