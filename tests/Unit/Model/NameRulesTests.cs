using CloudGateway.Model;

namespace CloudGateway.Tests.Model;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("Acme Corp (EU) #2")]
    [InlineData("müller-gmbh")]
    [InlineData("a.b")]
    public void Check_ValidName_NoProblem(string name)
    {
        var problems = new List<ValidationProblem>();

        NameRules.Check(name, "Name", problems);

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("back\\slash")]
    [InlineData("for/ward")]
    [InlineData("co:lon")]
    [InlineData("st*r")]
    [InlineData("quest?on")]
    [InlineData("qu\"ote")]
    [InlineData("le<ss")]
    [InlineData("gre>ater")]
    [InlineData("pi|pe")]
    [InlineData("equ=als")]
    [InlineData("semi;colon")]
    [InlineData("com,ma")]
    [InlineData("ends.with.dot.")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" padded")]
    [InlineData("tab\there")]
    [InlineData("alice\uFE0F")]
    [InlineData("alice\U000E0041")]
    [InlineData("al\u200Bice")]
    [InlineData("\u200Falice")]
    [InlineData("ali\u00ADce")]
    public void Check_InvalidName_OneProblemForTheField(string name)
    {
        var problems = new List<ValidationProblem>();

        NameRules.Check(name, "Name", problems);

        var problem = Assert.Single(problems);
        Assert.Equal("Name", problem.Field);
    }

    [Fact]
    public void Check_NullName_ReportsEmpty()
    {
        var problems = new List<ValidationProblem>();

        NameRules.Check(null, "Name", problems);

        Assert.Contains("empty", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Length_AcceptsAtMost128()
    {
        var problems = new List<ValidationProblem>();

        NameRules.Check(new string('a', 128), "Name", problems);
        Assert.Empty(problems);
        NameRules.Check(new string('a', 129), "Name", problems);

        Assert.Contains("128", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SeveralBrokenRules_ReportsEach()
    {
        var problems = new List<ValidationProblem>();

        NameRules.Check(new string('a', 130) + ":.", "Name", problems);

        Assert.Equal(3, problems.Count);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(65535, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(65536, false)]
    public void CheckPort_Value_AcceptsOnly1To65535(int port, bool valid)
    {
        var problems = new List<ValidationProblem>();

        NameRules.CheckPort(port, "Port", problems);

        Assert.Equal(valid, problems.Count == 0);
    }

    [Theory]
    [InlineData("gw.example.net")]
    [InlineData("gw.example.net.")]
    [InlineData("localhost")]
    [InlineData("a-b.c-d.io")]
    [InlineData("xn--mller-kva.de")]
    [InlineData("10.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("2001:db8::10")]
    [InlineData("::ffff:192.0.2.1")]
    public void CheckHost_DnsNameOrIp_NoProblem(string host)
    {
        var problems = new List<ValidationProblem>();

        NameRules.CheckHost(host, "Address", problems);

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space.example")]
    [InlineData("-leading.example")]
    [InlineData("trailing-.example")]
    [InlineData("under_score.example")]
    [InlineData("double..dot")]
    [InlineData("1.2.3")]
    [InlineData("256.1.1.1")]
    [InlineData("12345")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[::1]")]
    [InlineData("gw.example.net:443")]
    [InlineData("http://gw.example.net")]
    public void CheckHost_Neither_ProblemForTheField(string host)
    {
        var problems = new List<ValidationProblem>();

        NameRules.CheckHost(host, "Address", problems);

        Assert.Equal("Address", Assert.Single(problems).Field);
    }

    [Fact]
    public void CheckHost_LabelOf64Characters_Refused()
    {
        Assert.True(HostAddress.IsDnsName(new string('a', 63) + ".net"));
        Assert.False(HostAddress.IsDnsName(new string('a', 64) + ".net"));
        Assert.False(HostAddress.IsDnsName(string.Join('.', Enumerable.Repeat(new string('a', 60), 5))));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("localhost", false)]
    [InlineData("10.1", false)]
    public void IsIPAddress_Text_StrictForms(string text, bool expected)
    {
        Assert.Equal(expected, HostAddress.IsIPAddress(text));
    }
}
