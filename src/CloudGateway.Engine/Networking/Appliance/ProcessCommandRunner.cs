using System.ComponentModel;
using System.Diagnostics;

namespace CloudGateway.Networking.Appliance;

/// <summary>Runs commands with <see cref="Process"/>, arguments passed as a list so nothing is ever parsed by a shell.</summary>
internal sealed class ProcessCommandRunner : ICommandRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // The Debian package that brings each tool the appliance runs, named when the tool is missing.
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["nft"] = "nftables",
        ["ip"] = "iproute2",
        ["sysctl"] = "procps",
        ["ping"] = "iputils-ping",
    };

    public CommandResult Run(IReadOnlyList<string> arguments, string? input = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(arguments.Count);
        var start = new ProcessStartInfo(arguments[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // The tools' messages are parsed only for display, but keep them in English and stable.
        start.Environment["LC_ALL"] = "C";
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            var remedy = Packages.TryGetValue(Path.GetFileName(arguments[0]), out var package)
                ? $"install the {package} package (apt-get install {package})"
                : "is it installed";
            throw new GatewayException(GatewayErrorCode.SystemCommandFailed,
                $"'{arguments[0]}' could not be started ({ex.Message}); {remedy}.", arguments[0], ex);
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input ?? string.Empty);
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new GatewayException(GatewayErrorCode.SystemCommandFailed,
                $"'{string.Join(' ', arguments)}' did not finish within {Timeout.TotalSeconds} seconds.", arguments[0]);
        }

        process.WaitForExit();
        return new CommandResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
