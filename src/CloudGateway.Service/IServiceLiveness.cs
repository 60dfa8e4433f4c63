namespace CloudGateway.Service;

/// <summary>A component that can say whether it still does its work, for the systemd watchdog.</summary>
internal interface IServiceLiveness
{
    /// <summary>True when the component answered within <paramref name="timeout"/>; false when it is stuck.</summary>
    Task<bool> IsResponsiveAsync(TimeSpan timeout);
}
