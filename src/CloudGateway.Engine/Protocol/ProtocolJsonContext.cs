using System.Text.Json.Serialization;

namespace CloudGateway.Protocol;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Hello))]
[JsonSerializable(typeof(HelloAnswer))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
