namespace CloudGateway.Client;

/// <summary>
/// Keeps what a <see cref="GatewayClient"/> learns of its provider's certificates between runs; a list store that
/// also implements this interface (the provider store does) is given every change of the pins, and is read again
/// before each connection, so a pin an administrator changed meanwhile (Set-CloudProvider) applies to a running tunnel.
/// </summary>
public interface ICertificatePinStore
{
    /// <summary>The pins stored now.</summary>
    CertificatePins LoadPins();

    /// <summary>Replaces the stored pins after an accepted connection changed them.</summary>
    void SavePins(CertificatePins pins);
}
