using CloudGateway.Hosting;

namespace CloudGateway.Tests.Hosting;

public sealed class WindowsServiceCommandLineTests
{
    [Theory]
    [InlineData(@"C:\CloudGateway\service\CloudGateway.Service.exe", @"C:\CloudGateway\service\CloudGateway.Service.exe")]
    [InlineData(@"C:\Program Files\CloudGateway\x.exe", "\"C:\\Program Files\\CloudGateway\\x.exe\"")]
    [InlineData(@"C:\data dir\", "\"C:\\data dir\\\\\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("", "\"\"")]
    public void Quote_Argument_RoundTripsThroughArgvRules(string word, string expected)
    {
        Assert.Equal(expected, WindowsServiceCommandLine.Quote(word));
    }
}
