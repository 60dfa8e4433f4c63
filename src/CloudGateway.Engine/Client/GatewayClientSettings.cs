using System.Net;

namespace CloudGateway.Client;

/// <summary>
/// Whom the client talks to and as whom: the initial contact (the address the user gave), the tenant's credential
/// and the optional pinned certificate thumbprint. <see cref="NetworkCredential"/> keeps the password out of
/// <see cref="object.ToString"/>.
/// </summary>
public sealed record GatewayClientSettings
{
    /// <summary>What to call the provider in messages; the address when null.</summary>
    public string? Name { get; init; }

    /// <summary>The DNS name or IP address of the gateway first contacted, used while the list is empty and as last resort.</summary>
    public required string Address { get; init; }

    /// <summary>The port of the initial contact.</summary>
    public int Port { get; init; } = Model.Gateway.DefaultPort;

    /// <summary>Tenant name (<see cref="NetworkCredential.UserName"/>) and password.</summary>
    public required NetworkCredential Credential { get; init; }

    /// <summary>A SHA-256 thumbprint the gateways' certificate must have, or null to rely on the system trust store.</summary>
    public string? CertificateThumbprint { get; init; }

    /// <summary>A second thumbprint accepted besides <see cref="CertificateThumbprint"/>, learned from the gateways' answers; or null.</summary>
    public string? NextCertificateThumbprint { get; init; }

    /// <summary>When <see cref="NextCertificateThumbprint"/> was learned, or null.</summary>
    public DateTimeOffset? NextCertificateLearned { get; init; }

    /// <summary>Checks every field and returns a copy with the thumbprint normalised.</summary>
    public GatewayClientSettings Validated()
    {
        var problems = new List<ValidationProblem>();
        Model.NameRules.CheckHost(Address?.Trim('[', ']'), "Address", problems);
        Model.NameRules.CheckPort(Port, "Port", problems);
        if (string.IsNullOrWhiteSpace(Credential?.UserName))
        {
            problems.Add(new("Credential", "names no tenant"));
        }
        else if (string.IsNullOrEmpty(Credential.Password))
        {
            problems.Add(new("Credential", "has no password"));
        }

        var thumbprintProblem = Client.CertificateThumbprint.Check(CertificateThumbprint, out var normalized);
        if (thumbprintProblem is not null)
        {
            problems.Add(thumbprintProblem);
        }

        if (Client.CertificateThumbprint.Check(NextCertificateThumbprint, out var next) is { } nextProblem)
        {
            problems.Add(nextProblem with { Field = nameof(NextCertificateThumbprint) });
        }

        GatewayException.ThrowIfInvalid("The gateway connection settings", Address, problems);
        return this with { Address = Address!.Trim('[', ']'), CertificateThumbprint = normalized, NextCertificateThumbprint = next };
    }
}
