namespace CloudGateway.Model;

/// <summary>Normalizes and checks a <see cref="GatewayPool"/> before it is stored.</summary>
public static class GatewayPoolValidator
{
    /// <summary>Replaces missing text and lists with empty ones.</summary>
    public static GatewayPool Normalize(GatewayPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool with { Description = pool.Description ?? string.Empty, Members = pool.Members ?? [] };
    }

    /// <summary>Every problem with the pool; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(GatewayPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var problems = new List<ValidationProblem>();
        NameRules.Check(pool.Name, nameof(GatewayPool.Name), problems);
        NameRules.CheckNameList(pool.Members, nameof(GatewayPool.Members), problems);
        return problems;
    }

    /// <summary>Normalizes the pool and throws one ValidationFailed listing every problem, or returns it ready to store.</summary>
    public static GatewayPool Check(GatewayPool pool)
    {
        var normalized = Normalize(pool);
        GatewayException.ThrowIfInvalid($"Gateway pool '{normalized.Name}'", normalized.Name, Validate(normalized));
        return normalized;
    }
}
