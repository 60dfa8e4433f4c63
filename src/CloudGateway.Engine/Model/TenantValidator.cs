namespace CloudGateway.Model;

/// <summary>Normalizes and checks a <see cref="Tenant"/> before it is stored.</summary>
public static class TenantValidator
{
    /// <summary>Sets <see cref="Tenant.GatewaySelection"/> to Pools when pools are given and to Standalone otherwise.</summary>
    public static Tenant Normalize(Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var pools = tenant.Pools ?? [];
        return tenant with
        {
            Description = tenant.Description ?? string.Empty,
            Pools = pools,
            GatewaySelection = pools.Count > 0 ? GatewaySelection.Pools : GatewaySelection.Standalone,
        };
    }

    /// <summary>Every problem with the tenant; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var problems = new List<ValidationProblem>();
        NameRules.Check(tenant.Name, nameof(Tenant.Name), problems);
        NameRules.CheckDefined(tenant.GatewaySelection, nameof(Tenant.GatewaySelection), problems);
        NameRules.CheckNameList(tenant.Pools, nameof(Tenant.Pools), problems);
        if (tenant.GatewaySelection == GatewaySelection.Pools && (tenant.Pools is null || tenant.Pools.Count == 0))
        {
            problems.Add(new ValidationProblem(nameof(Tenant.Pools), "must name at least one pool when GatewaySelection is Pools."));
        }

        NameRules.CheckNotNegative(tenant.MaxConcurrentSessions, nameof(Tenant.MaxConcurrentSessions), problems);
        NameRules.CheckNotNegative(tenant.UploadBandwidth, nameof(Tenant.UploadBandwidth), problems);
        NameRules.CheckNotNegative(tenant.DownloadBandwidth, nameof(Tenant.DownloadBandwidth), problems);
        NameRules.CheckNotNegative(tenant.FailedLogonCount, nameof(Tenant.FailedLogonCount), problems);
        return problems;
    }

    /// <summary>Normalizes the tenant and throws one ValidationFailed listing every problem, or returns it ready to store.</summary>
    public static Tenant Check(Tenant tenant)
    {
        var normalized = Normalize(tenant);
        GatewayException.ThrowIfInvalid($"Tenant '{normalized.Name}'", normalized.Name, Validate(normalized));
        return normalized;
    }
}
