using System.Net;

namespace CloudGateway.Certificates;

/// <summary>The DNS names and IP addresses a certificate covers, validated.</summary>
internal sealed record CertificateNames(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IPAddresses)
{
    private const int MaxDnsNameLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>Whether the list holds no name at all.</summary>
    public bool IsEmpty => DnsNames.Count == 0 && IPAddresses.Count == 0;

    /// <summary>
    /// Splits gateway addresses into IP addresses and DNS names, without duplicates; an address that is neither is
    /// skipped, because the store has already validated it and a certificate cannot cover it anyway.
    /// </summary>
    public static CertificateNames FromAddresses(IEnumerable<string> addresses)
    {
        var dnsNames = new List<string>();
        var ipAddresses = new List<IPAddress>();
        foreach (var address in addresses)
        {
            if (IPAddress.TryParse(address, out var ip))
            {
                AddDistinct(ipAddresses, ip);
            }
            else if (IsValidDnsName(address, allowWildcard: false))
            {
                AddDistinct(dnsNames, Normalize(address));
            }
        }

        return new CertificateNames(dnsNames, ipAddresses);
    }

    /// <summary>Validates the requested names, adding one problem per bad entry, and returns those that are valid.</summary>
    public static CertificateNames Parse(NewCertificateOptions options, List<ValidationProblem> problems)
    {
        var dnsNames = new List<string>();
        foreach (var name in options.DnsNames)
        {
            if (IsValidDnsName(name, allowWildcard: true))
            {
                AddDistinct(dnsNames, Normalize(name));
            }
            else
            {
                problems.Add(new ValidationProblem("DnsName", $"'{name}' is not a valid DNS name (letters, digits and hyphens in labels of 1 to 63 characters; '*' only as the whole first label)."));
            }
        }

        var ipAddresses = new List<IPAddress>();
        foreach (var text in options.IPAddresses)
        {
            if (TryParseAddress(text, out var ip))
            {
                AddDistinct(ipAddresses, ip);
            }
            else
            {
                problems.Add(new ValidationProblem("IPAddress", $"'{text}' is not an IPv4 or IPv6 address."));
            }
        }

        return new CertificateNames(dnsNames, ipAddresses);
    }

    /// <summary>
    /// Parses an IP address strictly: IPv4 as four dotted numbers (not the shorthand forms such as 1.2.3 that
    /// IPAddress accepts), IPv6 without a zone.
    /// </summary>
    public static bool TryParseAddress(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text) || text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') != 3)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>Lower case without a trailing dot: the form names are stored and compared in.</summary>
    public static string Normalize(string dnsName) => dnsName.TrimEnd('.').ToLowerInvariant();

    /// <summary>Whether <paramref name="name"/> is a host name, or a wildcard name when allowed.</summary>
    public static bool IsValidDnsName(string? name, bool allowWildcard)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (trimmed.Length == 0 || trimmed.Length > MaxDnsNameLength)
        {
            return false;
        }

        var labels = trimmed.Split('.');
        if (labels[^1].All(char.IsAsciiDigit))
        {
            // An all-numeric last label is an IPv4 address in disguise, not a host name (RFC 3696 section 2).
            return false;
        }

        for (var i = 0; i < labels.Length; i++)
        {
            var isWildcard = i == 0 && labels.Length > 2 && allowWildcard && labels[i] == "*";
            if (!isWildcard && !IsValidLabel(labels[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidLabel(string label) =>
        label.Length is > 0 and <= MaxLabelLength
        && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static void AddDistinct<T>(List<T> list, T item)
    {
        if (!list.Contains(item))
        {
            list.Add(item);
        }
    }
}
