namespace CloudGateway.Client;

/// <summary>Reads the gateway's reason code off a <see cref="GatewayErrorCode.Refused"/> exception.</summary>
public static class GatewayRefusal
{
    /// <summary>The key under which a refusal's reason code is kept in <see cref="Exception.Data"/>.</summary>
    public const string DataKey = "RefusalReason";

    /// <summary>The <see cref="Protocol.RefusalReason"/> code of a refusal, or null for any other failure.</summary>
    public static string? ReasonOf(GatewayException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Code == GatewayErrorCode.Refused ? exception.Data[DataKey] as string : null;
    }

    internal static GatewayException Create(string message, string reason, object? target)
    {
        var exception = new GatewayException(GatewayErrorCode.Refused, message, target);
        exception.Data[DataKey] = reason;
        return exception;
    }
}
