using System.Security;
using CloudGateway.Security;

namespace CloudGateway.Tests.Security;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("Qz7")]
    [InlineData("Xy-short-9!")]
    public void HashNew_ShorterThanTheMinimum_ThrowsValidationFailedNamingPasswordWithoutIt(string password)
    {
        var error = Assert.Throws<GatewayException>(() => new PasswordPolicy(12).HashNew(Secure(password)));

        Assert.Equal(GatewayErrorCode.ValidationFailed, error.Code);
        Assert.Contains("Password: must be at least 12 characters long", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.Message.Replace("Password", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void HashNew_LongerThanAHelloCanCarry_ThrowsValidationFailed()
    {
        var error = Assert.Throws<GatewayException>(() => new PasswordPolicy(12).HashNew(Secure(new string('x', PasswordPolicy.MaximumLength + 1))));

        Assert.Contains("at most 1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HashNew_AtTheMinimum_ReturnsAHashThatVerifies()
    {
        var hash = new PasswordPolicy(12).HashNew(Secure("twelve-chars"));

        Assert.True(PasswordHasher.Verify("twelve-chars", hash));
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        return secure;
    }
}
