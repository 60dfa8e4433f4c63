namespace CloudGateway.Model;

/// <summary>Normalizes and checks a <see cref="TenantResource"/> before it is stored.</summary>
public static class TenantResourceValidator
{
    /// <summary>Replaces a missing description with an empty one.</summary>
    public static TenantResource Normalize(TenantResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource with { Description = resource.Description ?? string.Empty };
    }

    /// <summary>Every problem with the resource; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(TenantResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var problems = new List<ValidationProblem>();
        NameRules.Check(resource.Tenant, nameof(TenantResource.Tenant), problems);
        NameRules.Check(resource.Name, nameof(TenantResource.Name), problems);
        NameRules.CheckHost(resource.TargetHost, nameof(TenantResource.TargetHost), problems);
        NameRules.CheckPort(resource.TargetPort, nameof(TenantResource.TargetPort), problems);
        return problems;
    }

    /// <summary>Normalizes the resource and throws one ValidationFailed listing every problem, or returns it ready to store.</summary>
    public static TenantResource Check(TenantResource resource)
    {
        var normalized = Normalize(resource);
        GatewayException.ThrowIfInvalid($"Resource '{normalized.Name}' of tenant '{normalized.Tenant}'", normalized.Name, Validate(normalized));
        return normalized;
    }
}
