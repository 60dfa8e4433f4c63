using System.Globalization;
using System.Management.Automation;

namespace CloudGateway.PowerShell;

/// <summary>
/// Lets a TimeSpan parameter take a plain number as seconds (<c>-DrainTimeout 10</c>); PowerShell would otherwise
/// read the number as ticks. TimeSpans and strings such as <c>00:01:30</c> pass through unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecondsToTimeSpanAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            int or long or short or byte or double or float or decimal => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            _ => inputData,
        };
    }
}
