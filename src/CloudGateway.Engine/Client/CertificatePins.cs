namespace CloudGateway.Client;

/// <summary>
/// The certificates a tenant accepts from its provider's gateways: its pin, and a second pin the gateways announced
/// (the successor the SP staged, or after a switch the certificate it replaced, so that a rollback still works).
/// Thumbprints are SHA-256, 64 upper-case hex digits.
/// </summary>
/// <param name="Thumbprint">The pin, or null to rely on the system trust store (nothing is learned then).</param>
/// <param name="NextThumbprint">The second pin, or null.</param>
/// <param name="NextLearned">When the second pin was learned, or null.</param>
public sealed record CertificatePins(string? Thumbprint, string? NextThumbprint = null, DateTimeOffset? NextLearned = null)
{
    /// <summary>Whether a certificate with <paramref name="thumbprint"/> may be trusted on the pins alone.</summary>
    public bool Accepts(string thumbprint) =>
        string.Equals(thumbprint, Thumbprint, StringComparison.OrdinalIgnoreCase) || string.Equals(thumbprint, NextThumbprint, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The pins after an accepted connection to a gateway that presented <paramref name="presented"/> and announced
    /// <paramref name="announced"/> as its successor. A gateway presenting the second pin has switched: that becomes the
    /// pin and the old pin stays as the second. A newly announced successor becomes the second pin; an announcement that
    /// is not a SHA-256 thumbprint is ignored.
    /// </summary>
    public CertificatePins After(string? presented, string? announced, DateTimeOffset now)
    {
        if (Thumbprint is null)
        {
            return this;
        }

        var pins = NextThumbprint is not null && string.Equals(presented, NextThumbprint, StringComparison.OrdinalIgnoreCase)
            ? new CertificatePins(NextThumbprint, Thumbprint, now)
            : this;
        return CertificateThumbprint.Check(announced, out var successor) is null && successor is not null && !pins.Accepts(successor)
            ? pins with { NextThumbprint = successor, NextLearned = now }
            : pins;
    }
}
