using CloudGateway.Relay;

namespace CloudGateway.Tests.Relay;

public sealed class CredentialVerifierTests
{
    [Fact]
    public void Verify_UnknownTenant_FalseAfterOneHashCheckLikeAWrongPassword()
    {
        var calls = 0;
        using var verifier = new CredentialVerifier((_, _) => { calls++; return true; }, 1);

        Assert.Equal(PasswordCheck.Wrong, verifier.Verify("nobody", "anything", null));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Verify_RightThenWrongPassword_RightOneHashedOnceEachWrongOneHashed()
    {
        var calls = 0;
        using var verifier = new CredentialVerifier((password, hash) => { calls++; return hash == "h:" + password; }, 1);

        Assert.Equal(PasswordCheck.Right, verifier.Verify("acme", "pw", "h:pw"));
        Assert.Equal(PasswordCheck.Right, verifier.Verify("ACME", "pw", "h:pw"));
        Assert.Equal(1, calls);
        Assert.Equal(PasswordCheck.Wrong, verifier.Verify("acme", "other", "h:pw"));
        Assert.Equal(2, calls);
        Assert.Equal(PasswordCheck.Right, verifier.Verify("acme", "pw", "h:pw"));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void Verify_HashChanged_OldProofIgnored()
    {
        using var verifier = new CredentialVerifier((password, hash) => hash == "h:" + password, 1);

        Assert.Equal(PasswordCheck.Right, verifier.Verify("acme", "old", "h:old"));
        Assert.Equal(PasswordCheck.Wrong, verifier.Verify("acme", "old", "h:new"));
        Assert.Equal(PasswordCheck.Right, verifier.Verify("acme", "new", "h:new"));
    }
}
