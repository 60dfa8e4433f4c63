namespace CloudGateway.Client.Providers;

/// <summary>What a user gives to add a provider: the gateway to contact first and the certificate to expect.</summary>
public sealed record ProviderRegistration
{
    /// <summary>The provider's name on this machine; the address when null.</summary>
    public string? Name { get; init; }

    /// <summary>The DNS name or IP address of any of the provider's gateways.</summary>
    public required string Address { get; init; }

    /// <summary>The gateway's port.</summary>
    public int Port { get; init; } = Model.Gateway.DefaultPort;

    /// <summary>The SHA-256 thumbprint to pin (any case, colons or spaces allowed), or null for the system trust store.</summary>
    public string? CertificateThumbprint { get; init; }
}

/// <summary>A change to a stored provider; null fields are left as they are.</summary>
public sealed record ProviderChange
{
    /// <summary>A new name.</summary>
    public string? NewName { get; init; }

    /// <summary>A new initial contact address.</summary>
    public string? Address { get; init; }

    /// <summary>A new initial contact port.</summary>
    public int? Port { get; init; }

    /// <summary>A new pinned thumbprint; an empty string removes the pin (the system trust store is used then). Either forgets the second pin learned.</summary>
    public string? CertificateThumbprint { get; init; }

    /// <summary>Applies the change to <paramref name="provider"/>.</summary>
    public CloudProvider ApplyTo(CloudProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var repinned = CertificateThumbprint is not null;
        return provider with
        {
            Name = NewName ?? provider.Name,
            Address = Address ?? provider.Address,
            Port = Port ?? provider.Port,
            CertificateThumbprint = !repinned ? provider.CertificateThumbprint
                : CertificateThumbprint!.Length == 0 ? null : CertificateThumbprint,
            NextCertificateThumbprint = repinned ? null : provider.NextCertificateThumbprint,
            NextCertificateLearned = repinned ? null : provider.NextCertificateLearned,
        };
    }
}
