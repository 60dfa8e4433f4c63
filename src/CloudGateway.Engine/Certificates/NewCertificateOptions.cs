namespace CloudGateway.Certificates;

/// <summary>
/// What a new self-signed gateway certificate should cover. When both name lists are empty, the certificate covers
/// the Address of every gateway in the configuration.
/// </summary>
public sealed record NewCertificateOptions
{
    /// <summary>The validity used when none is given.</summary>
    public const int DefaultValidityDays = 365;

    /// <summary>The longest validity allowed, ten years.</summary>
    public const int MaxValidityDays = 3650;

    /// <summary>DNS names to cover; a leading <c>*.</c> label makes a wildcard name.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>IP addresses to cover, as text so that every malformed one can be reported.</summary>
    public IReadOnlyList<string> IPAddresses { get; init; } = [];

    /// <summary>How many days the certificate is valid from now.</summary>
    public int ValidityDays { get; init; } = DefaultValidityDays;
}
