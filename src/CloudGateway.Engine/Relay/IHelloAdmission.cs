using System.Net;
using CloudGateway.Protocol;

namespace CloudGateway.Relay;

/// <summary>The host's decision on a hello (tenant, password, limits, resource), as a connection asks for it.</summary>
internal interface IHelloAdmission
{
    /// <summary>
    /// Decides <paramref name="hello"/>, which came to <paramref name="gateway"/> from <paramref name="remote"/>; may run
    /// PBKDF2 or write the store, and for a resumable hello connects the resource (awaited, not blocking a thread).
    /// </summary>
    ValueTask<AdmissionResult> AdmitAsync(Hello hello, GatewayRuntime gateway, EndPoint? remote);

    /// <summary>Whether <see cref="AdmitAsync"/> would decide <paramref name="hello"/> at once (no PBKDF2, no store write, no connect), completing synchronously, so an event loop may call it itself.</summary>
    bool CanAdmitAtOnce(Hello hello);
}
