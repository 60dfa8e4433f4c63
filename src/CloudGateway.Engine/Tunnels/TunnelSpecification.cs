using System.Globalization;
using System.Net;

namespace CloudGateway.Tunnels;

/// <summary>
/// One tunnel to run without a PowerShell session, as written on the service's command line:
/// <c>provider:resource:localport</c>, optionally followed by <c>:localaddress</c> (127.0.0.1 by default; an IPv6
/// address may contain further colons).
/// </summary>
public sealed record TunnelSpecification(string Provider, string Resource, IPEndPoint LocalEndPoint)
{
    /// <summary>Whether each connection is carried in a resumable session (the service's <c>--resumable-tunnel</c>).</summary>
    public bool Resumable { get; init; }

    /// <summary>Parses a specification; a validation error names the field <paramref name="field"/> and every problem.</summary>
    public static TunnelSpecification Parse(string text, string field = "Tunnel")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', 4);
        var problems = new List<ValidationProblem>();
        if (parts.Length < 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            problems.Add(new ValidationProblem(field, $"'{text}' is not provider:resource:localport[:localaddress]."));
            GatewayException.ThrowIfInvalid("The tunnel", text, problems);
        }

        if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            problems.Add(new ValidationProblem(field, $"'{parts[2]}' in '{text}' is not a port from 0 to 65535."));
        }

        var address = IPAddress.Loopback;
        if (parts.Length == 4 && !IPAddress.TryParse(parts[3].Trim('[', ']'), out address))
        {
            problems.Add(new ValidationProblem(field, $"'{parts[3]}' in '{text}' is not an IP address."));
        }

        GatewayException.ThrowIfInvalid("The tunnel", text, problems);
        return new TunnelSpecification(parts[0], parts[1], new IPEndPoint(address!, port));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Provider}:{Resource}:{LocalEndPoint.Port}:{LocalEndPoint.Address}{(Resumable ? " (resumable)" : "")}";
}
