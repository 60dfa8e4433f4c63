namespace CloudGateway.Client.Providers;

/// <summary>
/// A service provider this machine connects to as a tenant: the gateway first contacted, the tenant name, the
/// pinned certificate and the gateway list last received. The password is kept encrypted by the store and is
/// never part of this record.
/// </summary>
public sealed record CloudProvider
{
    /// <summary>Stable identity; also binds the encrypted password to this record.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>Unique name on this machine, compared without regard to case.</summary>
    public required string Name { get; init; }

    /// <summary>The DNS name or IP address of the gateway first contacted.</summary>
    public required string Address { get; init; }

    /// <summary>The port of the gateway first contacted.</summary>
    public int Port { get; init; } = Model.Gateway.DefaultPort;

    /// <summary>The tenant name this machine logs on with.</summary>
    public required string TenantName { get; init; }

    /// <summary>The pinned SHA-256 thumbprint (64 upper-case hex digits), or null to rely on the system trust store.</summary>
    public string? CertificateThumbprint { get; init; }

    /// <summary>
    /// A second thumbprint accepted besides the pin, learned from the gateways' answers: the successor the SP staged, or
    /// after a switch the certificate it replaced. Null until a gateway announced one.
    /// </summary>
    public string? NextCertificateThumbprint { get; init; }

    /// <summary>When <see cref="NextCertificateThumbprint"/> was learned, or null.</summary>
    public DateTimeOffset? NextCertificateLearned { get; init; }

    /// <summary>The provider's gateways in the order to try them, with their health.</summary>
    public IReadOnlyList<KnownGateway> Gateways { get; init; } = [];

    /// <summary>How many gateways the list holds, for the table view.</summary>
    public int GatewayCount => Gateways.Count;

    /// <summary>When the gateway list was last received, or null.</summary>
    public DateTimeOffset? LastRefresh { get; init; }

    /// <summary>When the provider was added.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the provider was last changed by a user.</summary>
    public DateTimeOffset Modified { get; init; }

    /// <summary>Checks every field at once and returns the record with its thumbprint normalised.</summary>
    public CloudProvider Validated()
    {
        var problems = new List<ValidationProblem>();
        Model.NameRules.Check(Name, "Name", problems);
        Model.NameRules.CheckHost(Address?.Trim('[', ']'), "Address", problems);
        Model.NameRules.CheckPort(Port, "Port", problems);
        if (string.IsNullOrWhiteSpace(TenantName) || TenantName.Length > Model.Tenant.MaxNameLength)
        {
            problems.Add(new("Credential", $"the tenant name must be 1 to {Model.Tenant.MaxNameLength} characters"));
        }

        if (Client.CertificateThumbprint.Check(CertificateThumbprint, out var thumbprint) is { } problem)
        {
            problems.Add(problem);
        }

        if (Client.CertificateThumbprint.Check(NextCertificateThumbprint, out var next) is { } nextProblem)
        {
            problems.Add(nextProblem with { Field = nameof(NextCertificateThumbprint) });
        }

        GatewayException.ThrowIfInvalid($"Provider '{Name}'", Name, problems);
        return this with { Address = Address!.Trim('[', ']'), CertificateThumbprint = thumbprint, NextCertificateThumbprint = next };
    }
}
