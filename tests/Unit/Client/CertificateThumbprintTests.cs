using CloudGateway.Client;

namespace CloudGateway.Tests.Client;

public sealed class CertificateThumbprintTests
{
    private const string Upper = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";

    [Theory]
    [InlineData(Upper)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF")]
    [InlineData("01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef")]
    public void Normalize_AcceptedForms_YieldUpperCaseDigits(string input) => Assert.Equal(Upper, CertificateThumbprint.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Normalize_Blank_MeansNoPin(string? input) => Assert.Null(CertificateThumbprint.Normalize(input));

    [Theory]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("G123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789ABCDEF-0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF00")]
    public void Normalize_Malformed_ThrowsInvalidCertificateThumbprint(string input)
    {
        var ex = Assert.Throws<GatewayException>(() => CertificateThumbprint.Normalize(input));
        Assert.Equal(GatewayErrorCode.ValidationFailed, ex.Code);
        Assert.Equal("CertificateThumbprint", Assert.Single(ex.Problems).Field);
    }
}
