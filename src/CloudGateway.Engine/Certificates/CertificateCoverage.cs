using System.Net;

namespace CloudGateway.Certificates;

/// <summary>
/// Whether a certificate's names cover an address a tenant connects to, following RFC 6125: an IP address
/// matches only an IP address entry; a wildcard covers exactly one whole leftmost label.
/// </summary>
public static class CertificateCoverage
{
    /// <summary>Whether <paramref name="address"/> (a DNS name or an IP address) is covered by the given names.</summary>
    public static bool Covers(IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> ipAddresses, string address)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(ipAddresses);
        ArgumentException.ThrowIfNullOrEmpty(address);

        var unbracketed = address.StartsWith('[') && address.EndsWith(']') ? address[1..^1] : address;
        if (IPAddress.TryParse(unbracketed, out var ip))
        {
            return ipAddresses.Contains(ip);
        }

        return dnsNames.Any(name => MatchesDnsName(name, address));
    }

    /// <summary>
    /// Whether the certificate name <paramref name="pattern"/> matches <paramref name="host"/>: equal without regard
    /// to case or a trailing dot, or <c>*.rest</c> where the host is one label followed by <c>rest</c>.
    /// </summary>
    public static bool MatchesDnsName(string pattern, string host)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(host);

        var name = CertificateNames.Normalize(pattern);
        var target = CertificateNames.Normalize(host);
        if (!name.StartsWith("*.", StringComparison.Ordinal))
        {
            return name.Length > 0 && string.Equals(name, target, StringComparison.Ordinal);
        }

        var suffix = name[1..];
        if (suffix.Count(c => c == '.') < 2 || suffix.Contains('*', StringComparison.Ordinal))
        {
            // "*.com" would cover a whole top-level domain; such names are never honoured.
            return false;
        }

        if (!target.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var firstLabel = target[..^suffix.Length];
        return firstLabel.Length > 0 && !firstLabel.Contains('.', StringComparison.Ordinal);
    }
}
