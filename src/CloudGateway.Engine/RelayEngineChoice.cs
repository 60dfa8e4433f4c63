using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CloudGateway.Relay;
using CloudGateway.Relay.Managed;
using CloudGateway.Relay.Native;
using Microsoft.Extensions.Logging;

namespace CloudGateway;

/// <summary>
/// The one place a host's engine is chosen: native when asked for, or when Automatic finds it can run; managed
/// otherwise. It sits outside Relay/ so that the shared relay code names neither engine.
/// </summary>
internal static class RelayEngineChoice
{
    /// <summary>Starts the engine <paramref name="requested"/> names; throws a <see cref="GatewayException"/> when Native was asked for and cannot run.</summary>
    public static IRelayEngine Start(RelayEngine requested, X509Certificate2 certificate, SslServerAuthenticationOptions managedTls, ILogger logger)
    {
        if (requested == RelayEngine.Native)
        {
            return NativeEngine.Start(certificate, logger);
        }

        if (requested == RelayEngine.Automatic && NativeEngine.IsSupported)
        {
            try
            {
                return NativeEngine.Start(certificate, logger);
            }
            catch (GatewayException ex)
            {
                RelayLog.NativeEngineUnavailable(logger, ex.Message);
            }
        }

        return new ManagedEngine(managedTls);
    }
}
