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
            .AppendLine("Type=simple")
            .AppendLine(CultureInfo.InvariantCulture, $"ExecStart={CommandLine(definition)}")
            .AppendLine("KillSignal=SIGTERM")
            .AppendLine(CultureInfo.InvariantCulture, $"TimeoutStopSec={Math.Ceiling(stopTimeout.TotalSeconds)}")
            .AppendLine("Restart=on-failure")
            .AppendLine("RestartSec=5")
            .AppendLine("NoNewPrivileges=true")
            .AppendLine("PrivateTmp=true");
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
