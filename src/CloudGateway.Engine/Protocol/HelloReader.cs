using System.Text.Json;

namespace CloudGateway.Protocol;

/// <summary>
/// Reads a hello frame field by field, stricter than a serializer: a field named twice (in any case or escaping),
/// a null or mistyped tenant or password, or anything after the object is a protocol violation, because two
/// parsers must never disagree on who is logging in. A missing version means version 1; unknown fields are ignored.
/// </summary>
internal static class HelloReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 16 };

    /// <summary>Reads one hello; throws <see cref="JsonException"/> or <see cref="FormatException"/> naming the problem.</summary>
    public static Hello Read(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("the frame is not a JSON object");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int? version = null;
        string? tenant = null, password = null, resource = null, resume = null;
        bool listOnly = false, resumable = false;
        long received = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!seen.Add(name))
            {
                throw new FormatException($"the field '{name}' appears more than once");
            }

            reader.Read();
            switch (name)
            {
                case "version":
                    version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) ? number : throw new FormatException("'version' is not an integer");
                    break;
                case "tenant":
                    tenant = RequiredString(ref reader, name);
                    break;
                case "password":
                    password = RequiredString(ref reader, name);
                    break;
                case "resource":
                    resource = reader.TokenType == JsonTokenType.Null ? null : RequiredString(ref reader, name);
                    break;
                case "listOnly":
                    listOnly = Boolean(ref reader, name);
                    break;
                case "resumable":
                    resumable = Boolean(ref reader, name);
                    break;
                case "resume":
                    resume = RequiredString(ref reader, name);
                    break;
                case "received":
                    received = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var offset) && offset >= 0 ? offset : throw new FormatException("'received' is not a whole number of at least 0");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new FormatException("the frame holds more than one JSON object");
        }

        return new Hello
        {
            Version = version ?? WireProtocol.Version,
            Tenant = tenant ?? throw new FormatException("the hello names no tenant"),
            Password = password ?? throw new FormatException("the hello has no password"),
            Resource = resource,
            ListOnly = listOnly,
            Resumable = resumable || resume is not null,
            Resume = resume,
            Received = received,
        };
    }

    private static bool Boolean(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new FormatException($"'{name}' is not true or false"),
    };

    private static string RequiredString(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new FormatException($"'{name}' is not a string");
}
