using CloudGateway.Storage;

namespace CloudGateway.Certificates;

/// <summary>
/// What an administrator needs to know about the gateways' certificate: who it names, when it expires, and which
/// gateways tenants would reach under an address the certificate does not cover.
/// </summary>
public sealed record GatewayCertificateInfo
{
    /// <summary>How close to expiry a certificate is flagged.</summary>
    public const int ExpiryWarningDays = 30;

    /// <summary>Which of the gateways' certificates this is: the one presented, the staged successor, or the one a switch replaced.</summary>
    public CertificateSlot Role { get; init; } = CertificateSlot.Active;

    /// <summary>The SHA-256 hash of the certificate as 64 upper-case hex digits; what tenants pin.</summary>
    public required string Thumbprint { get; init; }

    /// <summary>The subject's distinguished name.</summary>
    public required string Subject { get; init; }

    /// <summary>The DNS names the certificate covers, wildcards included.</summary>
    public required IReadOnlyList<string> DnsNames { get; init; }

    /// <summary>The IP addresses the certificate covers.</summary>
    public required IReadOnlyList<string> IPAddresses { get; init; }

    /// <summary>When the certificate becomes valid.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>When the certificate expires.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>Whether the certificate has expired or expires within <see cref="ExpiryWarningDays"/> days.</summary>
    public required bool ExpiresSoon { get; init; }

    /// <summary>Whether the certificate has already expired.</summary>
    public required bool Expired { get; init; }

    /// <summary>The names of the gateways whose Address the certificate does not cover.</summary>
    public required IReadOnlyList<string> UncoveredGateways { get; init; }

    /// <summary>
    /// For the successor, and for the certificate a switch just made active: how many tenants were told its thumbprint
    /// on an accepted connection, and so accept it without a change on their side; else null.
    /// </summary>
    public int? TenantsLearned { get; init; }

    /// <summary>Where <see cref="TenantsLearned"/> is set: how many tenants the configuration has, to compare with it; else null.</summary>
    public int? TenantCount { get; init; }
}
