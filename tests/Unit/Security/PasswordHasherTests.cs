using System.Security;
using System.Security.Cryptography;
using CloudGateway.Security;

namespace CloudGateway.Tests.Security;

public sealed class PasswordHasherTests
{
    private const string Password = "S3cret pass phrase";
    private static readonly Lazy<string> SharedHash = new(() => PasswordHasher.Hash(Password));

    [Fact]
    public void Hash_Password_IsSelfDescribingPbkdf2()
    {
        var parts = SharedHash.Value.Split('$');

        Assert.Equal(["", "pbkdf2-sha256", "600000"], parts[..3]);
        Assert.Equal(16, Convert.FromBase64String(parts[3]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[4]).Length);
        Assert.DoesNotContain(Password, SharedHash.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RightAndWrongPassword_OnlyRightMatches()
    {
        Assert.True(PasswordHasher.Verify(Password, SharedHash.Value));
        Assert.False(PasswordHasher.Verify(Password + "x", SharedHash.Value));
        Assert.False(PasswordHasher.Verify("", SharedHash.Value));
    }

    [Fact]
    public void Hash_SamePasswordTwice_UsesDifferentSalts()
    {
        var second = PasswordHasher.Hash(Password);

        Assert.NotEqual(SharedHash.Value, second);
        Assert.True(PasswordHasher.Verify(Password, second));
    }

    [Fact]
    public void Hash_SecureString_VerifiesWithPlainPassword()
    {
        using var secure = new SecureString();
        foreach (var c in Password)
        {
            secure.AppendChar(c);
        }

        Assert.True(PasswordHasher.Verify(Password, PasswordHasher.Hash(secure)));
    }

    [Fact]
    public void Verify_HigherIterationCount_Accepted()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Password, salt, 600_001, HashAlgorithmName.SHA256, 32);
        var text = $"$pbkdf2-sha256$600001${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";

        Assert.True(PasswordHasher.IsWellFormed(text));
        Assert.True(PasswordHasher.Verify(Password, text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("$pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("$pbkdf2-sha256$99999999$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("$pbkdf2-sha1$600000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("$pbkdf2-sha256$600000$not base64!$AAAA")]
    [InlineData("$pbkdf2-sha256$600000$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Verify_MalformedOrWeakHash_FalseWithoutThrowing(string hash)
    {
        Assert.False(PasswordHasher.IsWellFormed(hash));
        Assert.False(PasswordHasher.Verify(Password, hash));
    }
}
