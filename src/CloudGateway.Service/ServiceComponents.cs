using Microsoft.Extensions.DependencyInjection;

namespace CloudGateway.Service;

/// <summary>
/// The components the service runs, started in the order added and stopped in reverse. Tenant-side tunnels and
/// other long-running parts are added here as further hosted services.
/// </summary>
internal static class ServiceComponents
{
    /// <summary>Adds every component of the service to <paramref name="services"/>.</summary>
    public static IServiceCollection AddGatewayComponents(this IServiceCollection services, ServiceOptions options)
    {
        services.AddSingleton(options);
        services.AddHostedService<RelayComponent>();
        return services;
    }
}
