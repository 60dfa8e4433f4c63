using System.Management.Automation;

namespace CloudGateway.PowerShell;

/// <summary>The one mapping from engine error codes to PowerShell ErrorIds and categories.</summary>
internal static class ErrorMapping
{
    /// <summary>Builds the ErrorRecord for an engine failure; the failing item is its target.</summary>
    public static ErrorRecord ToErrorRecord(GatewayException exception, object? target = null)
    {
        return new ErrorRecord(exception, ErrorId(exception), Category(exception.Code), exception.Target ?? target);
    }

    /// <summary>
    /// Builds the ErrorRecord for a failure the engine did not foresee (a bug): ErrorId UnexpectedError, the exception's
    /// type and message, and what to send with a report, instead of a raw .NET exception.
    /// </summary>
    public static ErrorRecord ToUnexpectedErrorRecord(Exception exception, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var wrapped = new InvalidOperationException(
            $"CloudGateway failed unexpectedly ({exception.GetType().Name}: {exception.Message}). Nothing more was done; please report it with the output of '$Error[0] | Format-List * -Force'.",
            exception);
        return new ErrorRecord(wrapped, "UnexpectedError", ErrorCategory.NotSpecified, target);
    }

    /// <summary>
    /// The ErrorId: the code's name, except that a validation failure is named after its first invalid field
    /// (InvalidPort, InvalidAddress), so each rule can be asserted on its own.
    /// </summary>
    public static string ErrorId(GatewayException exception)
    {
        if (exception.Code == GatewayErrorCode.ValidationFailed && exception.Problems.Count > 0)
        {
            return "Invalid" + exception.Problems[0].Field;
        }

        return exception.Code.ToString();
    }

    /// <summary>The PowerShell category of an engine error code.</summary>
    public static ErrorCategory Category(GatewayErrorCode code) => code switch
    {
        GatewayErrorCode.ValidationFailed => ErrorCategory.InvalidArgument,
        GatewayErrorCode.NotFound or GatewayErrorCode.PoolNotFound => ErrorCategory.ObjectNotFound,
        GatewayErrorCode.DuplicateName or GatewayErrorCode.GatewayInAnotherPool
            or GatewayErrorCode.CertificateExists or GatewayErrorCode.ServiceExists => ErrorCategory.ResourceExists,
        GatewayErrorCode.LastStandaloneGateway or GatewayErrorCode.PoolInUse or GatewayErrorCode.HardwarePlanInUse
            or GatewayErrorCode.ApplianceInUse => ErrorCategory.ResourceBusy,
        GatewayErrorCode.NotAConfigurationDatabase or GatewayErrorCode.DatabaseCorrupt
            or GatewayErrorCode.SchemaTooNew or GatewayErrorCode.InvalidConfigurationDocument
            or GatewayErrorCode.ProtocolViolation or GatewayErrorCode.NameMismatch => ErrorCategory.InvalidData,
        GatewayErrorCode.StoreUnavailable or GatewayErrorCode.NoGatewayAvailable
            or GatewayErrorCode.RelayError => ErrorCategory.ResourceUnavailable,
        GatewayErrorCode.Refused => ErrorCategory.ConnectionError,
        GatewayErrorCode.CertificateError or GatewayErrorCode.CertificateMismatch
            or GatewayErrorCode.InsufficientPrivilege => ErrorCategory.SecurityError,
        GatewayErrorCode.SystemCommandFailed => ErrorCategory.InvalidOperation,
        GatewayErrorCode.PlatformNotSupported => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };
}
