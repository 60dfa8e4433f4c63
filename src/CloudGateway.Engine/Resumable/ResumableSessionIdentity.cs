namespace CloudGateway.Resumable;

/// <summary>Whose resumable session it is and where it started: the ids a resume must match, and the names its log lines give.</summary>
internal sealed record ResumableSessionIdentity(Guid SessionId, Guid TenantId, string Tenant, string Resource, string Gateway);
