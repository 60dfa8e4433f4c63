using CloudGateway.Model;

namespace CloudGateway.Storage.Postgres;

/// <summary>Where the PostgreSQL store validates objects; delegates to the shared validators of the store branch once merged.</summary>
internal static class Validate
{
    public static void Gateway(Gateway gateway) => ArgumentNullException.ThrowIfNull(gateway);

    public static void Pool(GatewayPool pool) => ArgumentNullException.ThrowIfNull(pool);

    public static void Tenant(Tenant tenant) => ArgumentNullException.ThrowIfNull(tenant);

    public static void Resource(TenantResource resource) => ArgumentNullException.ThrowIfNull(resource);
}
