namespace CloudGateway.Client;

/// <summary>
/// Keeps what a <see cref="GatewayClient"/> learns of its provider's certificates between runs; a list store that
/// also implements this interface (the provider store does) is given every change of the pins.
/// </summary>
public interface ICertificatePinStore
{
    /// <summary>Replaces the stored pins after an accepted connection changed them.</summary>
    void SavePins(CertificatePins pins);
}
