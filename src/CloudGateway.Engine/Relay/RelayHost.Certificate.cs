using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudGateway.Relay;

/// <summary>
/// The host's certificate: it follows the configuration's active certificate when a switch changes it, and is renewed
/// before it expires (<see cref="CertificateRenewal"/>) when the host loaded it from the configuration.
/// </summary>
public sealed partial class RelayHost
{
    /// <summary>
    /// Presents the store's active certificate in new handshakes when <paramref name="configuration"/> names another
    /// one than the host presents (a switch or rollback). A host given its certificate in the options keeps it. A
    /// certificate that cannot be loaded is logged and the current one kept. Called under the gateway lock.
    /// </summary>
    private void FollowCertificate(RelayConfiguration configuration)
    {
        var presented = CertificateThumbprint;
        if (!_ownsCertificate || configuration.Certificates.Active is not { } active || active == presented)
        {
            return;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = LoadCertificate(_store);
        }
        catch (GatewayException ex)
        {
            RelayLog.CertificateNotLoaded(Logger, ex, active, presented);
            return;
        }

        // The store may have moved on since the snapshot; what it holds now is what to present.
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        if (thumbprint == presented)
        {
            certificate.Dispose();
            return;
        }

        var options = ServerOptions(certificate);
        try
        {
            Relayer.UseCertificate(certificate, options);
        }
        catch (GatewayException ex)
        {
            certificate.Dispose();
            RelayLog.CertificateNotLoaded(Logger, ex, thumbprint, presented);
            return;
        }

        // Handshakes under way may still use the certificates replaced, so all are kept until the host stops.
        lock (_ownedCertificates)
        {
            _ownedCertificates.Add(certificate);
        }

        Volatile.Write(ref _presentedCertificate, certificate);
        Volatile.Write(ref _serverAuthenticationOptions, options);
        Volatile.Write(ref _certificateThumbprint, thumbprint);
        RelayLog.CertificateSwitched(Logger, presented, thumbprint);
    }

    /// <summary>Stages a successor or switches to it when the certificate presented nears its expiry; called by the poll loop.</summary>
    private void RenewCertificateIfDue() => _renewal?.Check(Volatile.Read(ref _presentedCertificate), Configuration.Certificates);

    private void DisposeCertificates()
    {
        lock (_ownedCertificates)
        {
            _ownedCertificates.ForEach(certificate => certificate.Dispose());
            _ownedCertificates.Clear();
        }
    }
}
