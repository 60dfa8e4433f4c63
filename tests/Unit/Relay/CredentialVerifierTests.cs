using CloudGateway.Relay;

namespace CloudGateway.Tests.Relay;

public sealed class CredentialVerifierTests
{
    [Fact]
    public void Verify_UnknownTenant_FalseWithoutRunningTheHash()
    {
        var calls = 0;
        using var verifier = new CredentialVerifier((_, _) => { calls++; return true; });

        Assert.False(verifier.Verify("nobody", "anything", null));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void Verify_RightThenWrongPassword_HashRunsOnceWrongFailsFromTheProof()
    {
        var calls = 0;
        using var verifier = new CredentialVerifier((password, hash) => { calls++; return hash == "h:" + password; });

        Assert.True(verifier.Verify("acme", "pw", "h:pw"));
        Assert.True(verifier.Verify("ACME", "pw", "h:pw"));
        Assert.False(verifier.Verify("acme", "other", "h:pw"));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Verify_HashChanged_OldProofIgnored()
    {
        using var verifier = new CredentialVerifier((password, hash) => hash == "h:" + password);

        Assert.True(verifier.Verify("acme", "old", "h:old"));
        Assert.False(verifier.Verify("acme", "old", "h:new"));
        Assert.True(verifier.Verify("acme", "new", "h:new"));
    }
}
