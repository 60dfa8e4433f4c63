namespace CloudGateway;

/// <summary>One invalid field: its name as the user typed it (for example <c>Port</c>) and what is wrong.</summary>
public sealed record ValidationProblem(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}
