using CloudGateway.Hosting;

namespace CloudGateway.PowerShell;

/// <summary>
/// The one relay a module load runs, shared by every runspace of the process: Start-CloudGatewayRelay puts it here,
/// the other relay cmdlets read it, and module removal stops it through <see cref="StopAll"/>.
/// </summary>
internal static class ModuleRelay
{
    private static readonly object Gate = new();
    private static RelayRunner? _current;

    /// <summary>The relay this module runs, or null when none was started or it has been stopped.</summary>
    internal static RelayRunner? Current
    {
        get
        {
            lock (Gate)
            {
                return _current is { Completion.IsCompleted: false } ? _current : null;
            }
        }
    }

    /// <summary>Starts a relay with <paramref name="start"/> unless one is already running.</summary>
    internal static RelayRunner Start(Func<RelayRunner> start)
    {
        lock (Gate)
        {
            if (_current is { Completion.IsCompleted: false })
            {
                throw new GatewayException(GatewayErrorCode.RelayError, "A relay is already running in this PowerShell process; stop it with Stop-CloudGatewayRelay first.", "CloudGatewayRelay");
            }

            _current = start();
            return _current;
        }
    }

    /// <summary>The running relay; RelayError when there is none.</summary>
    internal static RelayRunner Require() => Current
        ?? throw new GatewayException(GatewayErrorCode.RelayError, "No relay is running in this PowerShell process; start one with Start-CloudGatewayRelay.", "CloudGatewayRelay");

    /// <summary>Forgets <paramref name="runner"/> once it has stopped, so that a new relay may start.</summary>
    internal static void Release(RelayRunner runner)
    {
        lock (Gate)
        {
            if (ReferenceEquals(_current, runner))
            {
                _current = null;
            }
        }
    }

    /// <summary>
    /// Stops the module's relay without draining and waits for it; called when the module is removed, because a
    /// listener left running would keep its ports after the module is gone.
    /// </summary>
    public static void StopAll()
    {
        RelayRunner? runner;
        lock (Gate)
        {
            runner = _current;
            _current = null;
        }

        runner?.StopAsync(TimeSpan.Zero).GetAwaiter().GetResult();
    }
}
