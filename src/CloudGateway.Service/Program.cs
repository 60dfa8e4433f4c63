using CloudGateway;
using CloudGateway.Service;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Exit codes: 0 after a clean stop (SIGTERM, Ctrl+C), 1 when the relay or a tunnel could not start, 2 for a bad command line.
ServiceOptions options;
try
{
    options = ServiceOptions.Parse(args);
}
catch (GatewayException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(ServiceOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(ServiceOptions.Usage);
    return 0;
}

var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "CloudGateway.Service" });
builder.Logging.ClearProviders();
builder.Logging.SetMinimumLevel(LogLevel.Information);
if (options.JsonLogs)
{
    builder.Logging.AddJsonConsole(json =>
    {
        json.UseUtcTimestamp = true;
        json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        json.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
    });
}
else
{
    builder.Logging.AddSimpleConsole(simple =>
    {
        simple.SingleLine = true;
        simple.UseUtcTimestamp = true;
        simple.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
    });
}

builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Relay.DrainTimeout + TimeSpan.FromSeconds(10));
builder.Services.AddGatewayComponents(options);

using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CloudGateway.Service");
try
{
    await host.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (OperationCanceledException)
{
#pragma warning disable CA1848 // One line at exit; a source-generated message would add nothing.
    logger.LogInformation("Stopped (SIGTERM or Ctrl+C) before the relay had started");
#pragma warning restore CA1848
    return 0;
}
catch (GatewayException ex)
{
#pragma warning disable CA1848, CA2254 // One startup failure; a source-generated message would add nothing.
    logger.LogCritical("The service could not start ({Code}): {Message}", ex.Code, ex.Message);
#pragma warning restore CA1848, CA2254
    return 1;
}
