using System.Text;
using CloudGateway.Protocol;
using FsCheck;

namespace CloudGateway.Tests.Protocol;

/// <summary>Properties of the frame codec over generated values and arbitrary bytes.</summary>
public sealed class FrameCodecPropertyTests
{
    private static readonly Configuration Checks = CreateChecks();

    private static Configuration CreateChecks()
    {
        var configuration = Configuration.QuickThrowOnFailure;
        // CLOUDGATEWAY_PROPERTY_TESTS raises the count for the long run; the default suite stays quick.
        configuration.MaxNbOfTest = int.TryParse(Environment.GetEnvironmentVariable("CLOUDGATEWAY_PROPERTY_TESTS"), out var count) ? count : 300;
        return configuration;
    }

    [Fact]
    public void DecodeHello_OfEncodedHello_ReturnsEqualHello()
    {
        var property = Prop.ForAll(HelloArbitrary(), hello =>
        {
            var frame = FrameCodec.Encode(hello);
            var decoded = FrameCodec.DecodeHello(frame.AsSpan(0, frame.Length - 1));
            return frame.Count(b => b == (byte)'\n') == 1
                && decoded.Version == hello.Version
                && decoded.Tenant == hello.Tenant
                && decoded.Password == hello.Password
                && decoded.Resource == hello.Resource
                && decoded.ListOnly == hello.ListOnly;
        });
        property.Check(Checks);
    }

    [Fact]
    public void DecodeAnswer_OfEncodedAnswer_ReturnsEqualAnswer()
    {
        var property = Prop.ForAll(AnswerArbitrary(), answer =>
        {
            byte[] frame;
            try
            {
                frame = FrameCodec.Encode(answer);
            }
            catch (GatewayException ex) when (ex.Code == GatewayErrorCode.ProtocolViolation)
            {
                // Refusing to encode is right only for an answer that cannot fit: each UTF-8 byte escapes to 6 at most.
                return 6 * Utf8Length(answer) + (100 * answer.Gateways.Count) + 100 >= WireProtocol.MaxFrameBytes;
            }

            var decoded = FrameCodec.DecodeAnswer(frame.AsSpan(0, frame.Length - 1));
            return decoded.Accepted == answer.Accepted
                && decoded.SessionId == answer.SessionId
                && decoded.Reason == answer.Reason
                && decoded.Gateways.SequenceEqual(answer.Gateways);
        });
        property.Check(Checks);
    }

    [Fact]
    public void Decode_AnyBytes_YieldsFrameOrProtocolViolationWithinAllocationBound()
    {
        var property = Prop.ForAll(Arb.From(Gen.OneOf(ArbitraryBytes(), JsonLikeBytes())), bytes =>
        {
            HostileInput.AssertDecodesOrViolates(bytes);
            return true;
        });
        property.Check(Checks);
    }

    [Fact]
    public void ReadFrameAsync_AnyChunkedBytes_ReadsOneFrameWithinBoundOrViolates()
    {
        var property = Prop.ForAll(Arb.From(Gen.ListOf(ArbitraryBytes())), chunks =>
        {
            var stream = new ChunkedStream(chunks.Select(c => c).ToList());
            var buffer = new byte[WireProtocol.MaxFrameBytes];
            try
            {
                var (frameLength, extra) = FrameCodec.ReadFrameAsync(stream, buffer, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                return frameLength < WireProtocol.MaxFrameBytes
                    && buffer[frameLength] == (byte)'\n'
                    && frameLength + 1 + extra <= WireProtocol.MaxFrameBytes
                    && !buffer.AsSpan(0, frameLength).Contains((byte)'\n');
            }
            catch (GatewayException ex) when (ex.Code == GatewayErrorCode.ProtocolViolation)
            {
                return stream.BytesRead <= WireProtocol.MaxFrameBytes;
            }
        });
        property.Check(Checks);
    }

    private static int Utf8Length(HelloAnswer answer) =>
        Encoding.UTF8.GetByteCount((answer.SessionId ?? "") + (answer.Reason ?? ""))
        + answer.Gateways.Sum(g => Encoding.UTF8.GetByteCount(g.Name + g.Address));

    private static Arbitrary<Hello> HelloArbitrary()
    {
        var gen =
            from tenant in WellFormedString(1, 128)
            from password in WellFormedString(0, 200)
            from listOnly in Arb.Generate<bool>()
            from resource in WellFormedString(0, 200)
            select new Hello { Tenant = tenant, Password = password, ListOnly = listOnly, Resource = listOnly ? null : resource };
        return Arb.From(gen);
    }

    private static Arbitrary<HelloAnswer> AnswerArbitrary()
    {
        var endpoint =
            from name in WellFormedString(1, 40)
            from address in WellFormedString(1, 60)
            from port in Gen.Choose(1, 65535)
            from fallback in Arb.Generate<bool>()
            select new GatewayEndpoint(name, address, port, fallback);
        var accepted =
            from session in WellFormedString(1, 40)
            from gateways in Gen.ListOf(Gen.Resize(8, endpoint))
            select HelloAnswer.Accept(session, gateways.ToList());
        var refused = WellFormedString(1, 40).Select(HelloAnswer.Refuse);
        return Arb.From(Gen.OneOf(accepted, refused));
    }

    // Strings a user could type: any Unicode scalar values, no lone surrogates (they are not valid UTF-8).
    private static Gen<string> WellFormedString(int minLength, int maxLength) =>
        from length in Gen.Choose(minLength, maxLength)
        from scalars in Gen.ArrayOf(length, Gen.Frequency(
            Tuple.Create(6, Gen.Choose(0x20, 0x7E)),
            Tuple.Create(2, Gen.Choose(0, 0x1F)),
            Tuple.Create(1, Gen.Choose(0x80, 0xD7FF)),
            Tuple.Create(1, Gen.Choose(0x10000, 0x10FFFF))))
        select string.Concat(scalars.Select(char.ConvertFromUtf32));

    private static Gen<byte[]> ArbitraryBytes() =>
        from length in Gen.Frequency(Tuple.Create(8, Gen.Choose(0, 300)), Tuple.Create(1, Gen.Choose(8000, 9000)))
        from bytes in Gen.ArrayOf(length, Arb.Generate<byte>())
        select bytes;

    // Fragments of real frames glued together, so generated input reaches deep into the JSON reader.
    private static Gen<byte[]> JsonLikeBytes()
    {
        string[] pieces = ["{", "}", "[", "]", ",", ":", "\"tenant\"", "\"password\"", "\"resource\"", "\"listOnly\"",
            "\"version\"", "\"accepted\"", "\"gateways\"", "true", "false", "null", "1", "-0.5e9", "\"x\"", "\"\\u00e9\"", "\\", "\n"];
        return Gen.ListOf(Gen.Elements(pieces)).Select(list => Encoding.UTF8.GetBytes(string.Concat(list)));
    }

    private sealed class ChunkedStream(List<byte[]> chunks) : Stream
    {
        private int _next;

        public int BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_next >= chunks.Count)
            {
                return 0;
            }

            var chunk = chunks[_next];
            var length = Math.Min(chunk.Length, buffer.Length);
            chunk.AsSpan(0, length).CopyTo(buffer);
            chunks[_next] = chunk[length..];
            if (chunks[_next].Length == 0)
            {
                _next++;
            }

            BytesRead += length;
            return length;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
