namespace CloudGateway.Metrics;

/// <summary>One tenant's figures on one relay, for the per-tenant series; "in" is from the tenant to its resources.</summary>
internal readonly record struct TenantFigures(string Tenant, int Sessions, long BytesIn, long BytesOut);
