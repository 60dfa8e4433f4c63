namespace CloudGateway;

/// <summary>
/// The one exception type the engine throws for expected failures. <see cref="Code"/> says what went wrong,
/// <see cref="Target"/> names the failing item, and <see cref="Problems"/> lists every invalid field.
/// </summary>
public sealed class GatewayException : Exception
{
    /// <summary>Creates an exception with a code, a message and optionally the failing item.</summary>
    public GatewayException(GatewayErrorCode code, string message, object? target = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Target = target;
        Problems = [];
    }

    private GatewayException(string message, object? target, IReadOnlyList<ValidationProblem> problems)
        : base(message)
    {
        Code = GatewayErrorCode.ValidationFailed;
        Target = target;
        Problems = problems;
    }

    /// <summary>What went wrong.</summary>
    public GatewayErrorCode Code { get; }

    /// <summary>The failing item (a name or an object), or null.</summary>
    public object? Target { get; }

    /// <summary>Every invalid field, for <see cref="GatewayErrorCode.ValidationFailed"/>; empty otherwise.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    /// <summary>Throws a validation exception listing all problems, if there are any.</summary>
    public static void ThrowIfInvalid(string what, object? target, IReadOnlyList<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0)
        {
            return;
        }

        var message = $"{what} is not valid: " + string.Join("; ", problems);
        throw new GatewayException(message, target, problems);
    }
}
