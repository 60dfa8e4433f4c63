using System.Globalization;
using System.Security;

namespace CloudGateway.Security;

/// <summary>
/// The rule every new tenant password follows: at least <see cref="MinimumLength"/> characters (12 unless the
/// <c>CLOUDGATEWAY_MINIMUM_PASSWORD_LENGTH</c> environment variable says otherwise) and short enough to fit in a hello.
/// </summary>
public sealed record PasswordPolicy(int MinimumLength)
{
    /// <summary>The environment variable that sets the minimum length for the process.</summary>
    public const string MinimumLengthVariable = "CLOUDGATEWAY_MINIMUM_PASSWORD_LENGTH";

    /// <summary>The minimum length when the variable is not set.</summary>
    public const int DefaultMinimumLength = 12;

    /// <summary>The longest password: a longer one could never be sent in a hello frame.</summary>
    public const int MaximumLength = 1024;

    /// <summary>The policy of this process: the variable's minimum when set, else 12. Throws ValidationFailed for a bad variable.</summary>
    public static PasswordPolicy Current()
    {
        var text = Environment.GetEnvironmentVariable(MinimumLengthVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new PasswordPolicy(DefaultMinimumLength);
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minimum) || minimum is < 1 or > MaximumLength)
        {
            throw new GatewayException(GatewayErrorCode.ValidationFailed, $"The environment variable {MinimumLengthVariable} is '{text}'; it must be a whole number from 1 to {MaximumLength}.", MinimumLengthVariable);
        }

        return new PasswordPolicy(minimum);
    }

    /// <summary>Checks a new password against the policy and hashes it; throws ValidationFailed naming the Password field.</summary>
    public string HashNew(SecureString password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var problem = password.Length switch
        {
            var length when length < MinimumLength => $"must be at least {MinimumLength} characters long; it has {length} (the minimum is set by {MinimumLengthVariable}).",
            > MaximumLength => $"must be at most {MaximumLength} characters long; it has {password.Length}.",
            _ => null,
        };
        GatewayException.ThrowIfInvalid("The password", null, problem is null ? [] : [new ValidationProblem("Password", problem)]);
        return PasswordHasher.Hash(password);
    }
}
