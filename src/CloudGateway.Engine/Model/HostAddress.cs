using System.Net;
using System.Net.Sockets;

namespace CloudGateway.Model;

/// <summary>Strict checks for DNS names and textual IP addresses.</summary>
public static class HostAddress
{
    /// <summary>
    /// Whether <paramref name="text"/> is a DNS host name: dot-separated labels of letters, digits and inner hyphens,
    /// each 1-63 characters, 253 in all, an optional final dot, and a last label that is not all digits.
    /// </summary>
    public static bool IsDnsName(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var name = text.EndsWith('.') ? text[..^1] : text;
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        var labels = name.Split('.');
        return labels.All(IsLabel) && !labels[^1].All(char.IsAsciiDigit);
    }

    /// <summary>Whether <paramref name="text"/> is an IPv4 address in dotted-quad form or an IPv6 address without a zone.</summary>
    public static bool IsIPAddress(string? text)
    {
        if (string.IsNullOrEmpty(text) || !IPAddress.TryParse(text, out var address))
        {
            return false;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => text.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)),
            AddressFamily.InterNetworkV6 => text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal) && !text.Contains('[', StringComparison.Ordinal),
            _ => false,
        };
    }

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
        && label[0] != '-'
        && label[^1] != '-';
}
