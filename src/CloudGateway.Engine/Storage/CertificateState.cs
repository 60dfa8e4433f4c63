namespace CloudGateway.Storage;

/// <summary>
/// The SHA-256 thumbprints of the gateways' certificates as the store holds them, and per tenant the successor
/// thumbprint its last accepted connection was told. Private keys are never part of it.
/// </summary>
public sealed record CertificateState
{
    /// <summary>No certificate at all.</summary>
    public static CertificateState None { get; } = new();

    /// <summary>The active certificate's thumbprint; null when none is set or it was stored before thumbprints were kept.</summary>
    public string? Active { get; init; }

    /// <summary>The staged successor's thumbprint, or null.</summary>
    public string? Next { get; init; }

    /// <summary>The thumbprint of the certificate the last switch replaced, or null.</summary>
    public string? Previous { get; init; }

    /// <summary>Tenant name to the successor thumbprint that tenant was last told on an accepted connection (names ignore case).</summary>
    public IReadOnlyDictionary<string, string> LearnedByTenant { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many tenants were told the staged successor; 0 when none is staged.</summary>
    public int TenantsLearnedNext => Next is null ? 0 : LearnedByTenant.Values.Count(t => t == Next);
}
