using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace CloudGateway.Service;

/// <summary>
/// The components the service runs, started in the order added and stopped in reverse. The relay unless --relay off,
/// the tenant-side tunnels given with --tunnel, and the systemd notifications (Type=notify, watchdog). Started by
/// the Windows service manager, the process reports its start and stop to it instead of waiting for Ctrl+C.
/// </summary>
internal static class ServiceComponents
{
    /// <summary>Adds every component of the service to <paramref name="services"/>.</summary>
    public static IServiceCollection AddGatewayComponents(this IServiceCollection services, ServiceOptions options)
    {
        services.AddSingleton(options);
        services.AddWindowsService(windows => windows.ServiceName = "CloudGateway");
        if (options.RunRelay)
        {
            services.AddSingleton<RelayComponent>();
            services.AddSingleton<IServiceLiveness>(provider => provider.GetRequiredService<RelayComponent>());
            services.AddHostedService(provider => provider.GetRequiredService<RelayComponent>());
        }

        if (options.Tunnels.Count > 0)
        {
            services.AddHostedService<TunnelComponent>();
        }

        // Last, so it says READY=1 once everything above has started, and first to hear of a stop.
        services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton(TimeProvider.System);
        services.AddHostedService<SystemdComponent>();
        return services;
    }
}
