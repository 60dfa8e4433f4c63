using System.Text;
using CloudGateway.Protocol;

namespace CloudGateway.Tests.Protocol;

public sealed class FrameCodecTests
{
    [Fact]
    public void DecodeHello_EncodedHello_RoundTrips()
    {
        var hello = new Hello { Tenant = "acme", Password = "p@ss\nword", Resource = "repo" };
        var frame = FrameCodec.Encode(hello);

        Assert.Equal((byte)'\n', frame[^1]);
        Assert.Equal(1, frame.Count(b => b == (byte)'\n'));
        var decoded = FrameCodec.DecodeHello(frame.AsSpan(0, frame.Length - 1));
        Assert.Equal(("acme", "p@ss\nword", "repo", false), (decoded.Tenant, decoded.Password, decoded.Resource, decoded.ListOnly));
    }

    [Fact]
    public void EncodeIntoSpan_SameBytesAsEncode_AndReusableOnTheThread()
    {
        var accept = HelloAnswer.Accept("0123456789abcdef0123456789abcdef", [new GatewayEndpoint("gw-ä", "gw.example.test", 6180, false), new GatewayEndpoint("gw2", "203.0.113.9", 443, true)]);
        var refuse = HelloAnswer.Refuse(RefusalReason.InvalidCredentials);
        var buffer = new byte[WireProtocol.MaxFrameBytes];
        foreach (var answer in new[] { accept, refuse, accept })
        {
            var length = FrameCodec.Encode(answer, buffer);
            Assert.Equal(FrameCodec.Encode(answer), buffer.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void EncodeIntoSpan_FrameOverTheLimit_ThrowsProtocolViolation()
    {
        var endpoints = Enumerable.Range(0, 200).Select(i => new GatewayEndpoint($"gateway-{i}", $"gateway-{i}.example.test", 6180, false)).ToList();
        var ex = Assert.Throws<GatewayException>(() => FrameCodec.Encode(HelloAnswer.Accept("id", endpoints), new byte[64 * 1024]));
        Assert.Equal(GatewayErrorCode.ProtocolViolation, ex.Code);
    }

    [Fact]
    public void HelloToString_Always_OmitsPassword()
    {
        var hello = new Hello { Tenant = "acme", Password = "secret-value", ListOnly = true };
        Assert.DoesNotContain("secret-value", hello.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("{\"tenant\":\"a\",\"password\":\"b\"}")]
    [InlineData("{\"tenant\":\"a\",\"password\":\"b\",\"resource\":\"r\",\"listOnly\":true}")]
    [InlineData("{\"tenant\":\"\",\"password\":\"b\",\"listOnly\":true}")]
    [InlineData("not json")]
    [InlineData("{\"tenant\":null,\"password\":\"b\",\"listOnly\":true}")]
    [InlineData("{\"tenant\":\"a\",\"password\":null,\"listOnly\":true}")]
    [InlineData("{\"tenant\":\"a\",\"password\":7,\"listOnly\":true}")]
    [InlineData("{\"tenant\":\"bob\",\"tenant\":\"alice\",\"password\":\"b\",\"listOnly\":true}")]
    [InlineData("{\"tenant\":\"bob\",\"Tenant\":\"alice\",\"password\":\"b\",\"listOnly\":true}")]
    [InlineData("{\"tenant\":\"bob\",\"ten\\u0061nt\":\"alice\",\"password\":\"b\",\"listOnly\":true}")]
    [InlineData("{\"version\":1,\"version\":2,\"tenant\":\"a\",\"password\":\"b\",\"listOnly\":true}")]
    [InlineData("{\"version\":\"1\",\"tenant\":\"a\",\"password\":\"b\",\"listOnly\":true}")]
    [InlineData("{\"tenant\":\"a\",\"password\":\"b\",\"listOnly\":true} {}")]
    public void DecodeHello_Malformed_ThrowsProtocolViolation(string json)
    {
        var ex = Assert.Throws<GatewayException>(() => FrameCodec.DecodeHello(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(GatewayErrorCode.ProtocolViolation, ex.Code);
    }

    [Fact]
    public async Task ReadFrameAsync_FrameFollowedByData_ReturnsFrameAndExtraBytes()
    {
        var hello = FrameCodec.Encode(new Hello { Tenant = "t", Password = "p", ListOnly = true });
        var stream = new MemoryStream([.. hello, 1, 2, 3]);
        var buffer = new byte[WireProtocol.MaxFrameBytes];

        var (frameLength, extra) = await FrameCodec.ReadFrameAsync(stream, buffer, CancellationToken.None);

        Assert.Equal(hello.Length - 1, frameLength);
        Assert.Equal(3, extra);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer.AsSpan(frameLength + 1, extra).ToArray());
    }

    [Fact]
    public async Task ReadFrameAsync_NoLineFeedWithinLimit_ThrowsProtocolViolation()
    {
        var stream = new MemoryStream(new byte[WireProtocol.MaxFrameBytes + 10]);
        var buffer = new byte[WireProtocol.MaxFrameBytes];

        var ex = await Assert.ThrowsAsync<GatewayException>(() => FrameCodec.ReadFrameAsync(stream, buffer, CancellationToken.None).AsTask());
        Assert.Equal(GatewayErrorCode.ProtocolViolation, ex.Code);
    }

    [Fact]
    public void DecodeHello_WithoutVersion_IsVersionOne()
    {
        var hello = FrameCodec.DecodeHello("{\"tenant\":\"a\",\"password\":\"b\",\"resource\":\"r\"}"u8);

        Assert.Equal(WireProtocol.Version, hello.Version);
        Assert.Equal(("a", "b", "r", false), (hello.Tenant, hello.Password, hello.Resource, hello.ListOnly));
    }

    [Fact]
    public void DecodeHello_UnknownFieldsAndNullResource_AreIgnored()
    {
        var hello = FrameCodec.DecodeHello("{\"future\":{\"x\":[1,2]},\"tenant\":\"a\",\"password\":\"b\",\"resource\":null,\"listOnly\":true}"u8);

        Assert.True(hello.ListOnly);
        Assert.Null(hello.Resource);
    }
}
