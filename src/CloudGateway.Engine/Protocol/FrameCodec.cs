using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CloudGateway.Protocol;

/// <summary>
/// Encodes and decodes frames: one UTF-8 JSON object on one line, at most <see cref="WireProtocol.MaxFrameBytes"/>
/// bytes with its line feed. Decoding any input either yields a frame or throws a <see cref="GatewayException"/>
/// with <see cref="GatewayErrorCode.ProtocolViolation"/>; nothing else.
/// </summary>
public static class FrameCodec
{
    private const byte LineFeed = (byte)'\n';

    // One reusable JSON writer per thread, so encoding into a caller's buffer allocates nothing.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_json;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Encodes a hello as one frame.</summary>
    public static byte[] Encode(Hello hello) => Encode(hello, ProtocolJsonContext.Default.Hello);

    /// <summary>Encodes an answer as one frame.</summary>
    public static byte[] Encode(HelloAnswer answer) => Encode(answer, ProtocolJsonContext.Default.HelloAnswer);

    /// <summary>
    /// Encodes an answer as one frame into <paramref name="destination"/> and returns its length (line feed
    /// included), allocating nothing once the thread has encoded before. The destination must hold
    /// <see cref="WireProtocol.MaxFrameBytes"/> bytes.
    /// </summary>
    public static int Encode(HelloAnswer answer, Span<byte> destination)
    {
        var json = t_json ??= new ArrayBufferWriter<byte>(1024);
        json.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = ProtocolJsonContext.Default.Options.Encoder });
        writer.Reset(json);
        JsonSerializer.Serialize(writer, answer, ProtocolJsonContext.Default.HelloAnswer);
        var length = CheckLength(json.WrittenCount);
        json.WrittenSpan.CopyTo(destination);
        destination[length - 1] = LineFeed;
        return length;
    }

    /// <summary>Decodes one hello frame (without its line feed) and checks its fields.</summary>
    public static Hello DecodeHello(ReadOnlySpan<byte> frame)
    {
        ThrowIfOversized(frame);

        Hello hello;
        try
        {
            hello = HelloReader.Read(frame);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw Violation(ex is FormatException ? ex.Message : "the frame is not the expected JSON object", ex);
        }

        if (hello.Tenant.Length == 0)
        {
            throw Violation("the hello names no tenant");
        }

        if (hello.ListOnly == (hello.Resource is not null))
        {
            throw Violation("the hello must name a resource or ask for the gateway list only, not both or neither");
        }

        if (hello.Resume is { } token && (token.Length is 0 or > 128))
        {
            throw Violation("'resume' must hold the token of an earlier answer");
        }

        if (hello.ListOnly && hello.Resumable)
        {
            throw Violation("a gateway list request cannot be resumable");
        }

        return hello;
    }

    /// <summary>Decodes one answer frame (without its line feed) and checks its fields.</summary>
    public static HelloAnswer DecodeAnswer(ReadOnlySpan<byte> frame)
    {
        var answer = Decode(frame, ProtocolJsonContext.Default.HelloAnswer);
        if (answer.Accepted ? answer.SessionId is null : answer.Reason is null)
        {
            throw Violation("an accepted answer needs a session id and a refused one a reason");
        }

        return answer;
    }

    /// <summary>
    /// Finds the end of the first frame in <paramref name="buffer"/>: the index of its line feed, or -1 when more
    /// bytes are needed. Throws when the frame would exceed the size bound.
    /// </summary>
    public static int FindFrameEnd(ReadOnlySpan<byte> buffer)
    {
        var end = buffer.IndexOf(LineFeed);
        if (end >= WireProtocol.MaxFrameBytes || (end < 0 && buffer.Length >= WireProtocol.MaxFrameBytes))
        {
            throw Violation($"a frame is longer than {WireProtocol.MaxFrameBytes} bytes");
        }

        return end;
    }

    /// <summary>
    /// Reads one frame from <paramref name="stream"/> into <paramref name="buffer"/> (at least
    /// <see cref="WireProtocol.MaxFrameBytes"/> long). Returns the frame without its line feed and the count of bytes
    /// read past it, which sit right after the frame's line feed in the buffer.
    /// </summary>
    public static async ValueTask<(int FrameLength, int ExtraBytes)> ReadFrameAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (buffer.Length < WireProtocol.MaxFrameBytes)
        {
            throw new ArgumentException("The buffer is shorter than the largest frame.", nameof(buffer));
        }

        var filled = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer[filled..WireProtocol.MaxFrameBytes], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw Violation("the connection closed before a whole frame arrived");
            }

            var searchFrom = filled;
            filled += read;
            var end = FindFrameEnd(buffer.Span[searchFrom..filled]);
            if (end >= 0)
            {
                var frameLength = searchFrom + end;
                return (frameLength, filled - frameLength - 1);
            }
        }
    }

    private static byte[] Encode<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var frame = new byte[CheckLength(json.Length)];
        json.CopyTo(frame, 0);
        frame[^1] = LineFeed;
        return frame;
    }

    // The frame's length with its line feed; a frame over the limit is never sent.
    private static int CheckLength(int jsonLength) => jsonLength + 1 <= WireProtocol.MaxFrameBytes
        ? jsonLength + 1
        : throw new GatewayException(GatewayErrorCode.ProtocolViolation, $"The frame would be {jsonLength + 1} bytes, over the limit of {WireProtocol.MaxFrameBytes}.");

    private static T Decode<T>(ReadOnlySpan<byte> frame, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ThrowIfOversized(frame);

        try
        {
            return JsonSerializer.Deserialize(frame, typeInfo) ?? throw Violation("the frame is JSON null");
        }
        catch (JsonException ex)
        {
            throw Violation("the frame is not the expected JSON object", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw Violation("the frame is not the expected JSON object", ex);
        }
    }

    private static void ThrowIfOversized(ReadOnlySpan<byte> frame)
    {
        if (frame.Length >= WireProtocol.MaxFrameBytes)
        {
            throw Violation($"a frame is longer than {WireProtocol.MaxFrameBytes} bytes");
        }
    }

    private static GatewayException Violation(string what, Exception? inner = null) =>
        new(GatewayErrorCode.ProtocolViolation, $"Protocol violation: {what}.", null, inner);
}
