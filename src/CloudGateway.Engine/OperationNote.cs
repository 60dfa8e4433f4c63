namespace CloudGateway;

/// <summary>
/// Something an operation did or found, returned beside its result for the administrator: a <see cref="NoteKind.Detail"/>
/// says what a change did (the PowerShell layer writes it to the verbose stream), an <see cref="NoteKind.Attention"/>
/// names something to act on (written as a warning), a <see cref="NoteKind.Failure"/> a part of the operation that
/// failed while the rest went on (written as an error). Never holds a secret.
/// </summary>
/// <param name="Kind">Whether this is a detail, something to act on, or a failure.</param>
/// <param name="Message">One sentence, naming the gateway, tenant or file it is about.</param>
/// <param name="ErrorId">For a failure, the stable id of the error it reports.</param>
public sealed record OperationNote(NoteKind Kind, string Message, string? ErrorId = null)
{
    /// <summary>A note reporting a part of the operation that failed, with the error id it is reported under.</summary>
    public static OperationNote Failure(string message, string errorId) => new(NoteKind.Failure, message, errorId);

    /// <summary>A note saying what a change did.</summary>
    public static OperationNote Detail(string message) => new(NoteKind.Detail, message);

    /// <summary>A note naming something the administrator should act on.</summary>
    public static OperationNote Attention(string message) => new(NoteKind.Attention, message);
}

/// <summary>How much an <see cref="OperationNote"/> asks of the administrator.</summary>
public enum NoteKind
{
    /// <summary>What a change did: rows written, gateways told, listeners opened.</summary>
    Detail,

    /// <summary>Something to act on: a certificate that does not cover a gateway, a tenant left without a gateway.</summary>
    Attention,

    /// <summary>A part of the operation that failed while the rest went on: a gateway that could not listen.</summary>
    Failure,
}
