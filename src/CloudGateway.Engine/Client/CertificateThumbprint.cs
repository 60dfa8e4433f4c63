using System.Globalization;

namespace CloudGateway.Client;

/// <summary>
/// A pinned SHA-256 certificate thumbprint: 64 hex digits, as users paste them (any case, pairs separated by
/// colons or spaces). Normalised to 64 upper-case digits so stored pins compare with a plain string equality.
/// </summary>
public static class CertificateThumbprint
{
    /// <summary>Hex digits in a SHA-256 thumbprint.</summary>
    public const int Length = 64;

    /// <summary>
    /// Returns the normalised thumbprint, or null for null or blank input (no pin). Throws a validation
    /// <see cref="GatewayException"/> naming <c>CertificateThumbprint</c> when the value is not a SHA-256 thumbprint.
    /// </summary>
    public static string? Normalize(string? thumbprint)
    {
        var problem = Check(thumbprint, out var normalized);
        GatewayException.ThrowIfInvalid("The certificate thumbprint", thumbprint, problem is null ? [] : [problem]);
        return normalized;
    }

    /// <summary>Checks a thumbprint; returns the problem (or null) and the normalised form when it is valid.</summary>
    public static ValidationProblem? Check(string? thumbprint, out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(thumbprint))
        {
            return null;
        }

        var digits = thumbprint.Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (digits.Length != Length || !digits.All(char.IsAsciiHexDigit))
        {
            return new ValidationProblem(
                "CertificateThumbprint",
                $"a SHA-256 thumbprint is {Length} hex digits (colons or spaces between them are allowed); got {digits.Length} characters{(digits.All(char.IsAsciiHexDigit) ? string.Empty : " including non-hex ones")}");
        }

        normalized = digits.ToUpper(CultureInfo.InvariantCulture);
        return null;
    }
}
