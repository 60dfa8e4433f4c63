using Microsoft.Extensions.DependencyInjection;

namespace CloudGateway.Service;

/// <summary>
/// The components the service runs, started in the order added and stopped in reverse. The relay unless --relay off, and
/// the tenant-side tunnels given with --tunnel.
/// </summary>
internal static class ServiceComponents
{
    /// <summary>Adds every component of the service to <paramref name="services"/>.</summary>
    public static IServiceCollection AddGatewayComponents(this IServiceCollection services, ServiceOptions options)
    {
        services.AddSingleton(options);
        if (options.RunRelay)
        {
            services.AddHostedService<RelayComponent>();
        }

        if (options.Tunnels.Count > 0)
        {
            services.AddHostedService<TunnelComponent>();
        }

        return services;
    }
}
