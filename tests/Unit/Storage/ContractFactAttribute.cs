using Xunit.Abstractions;
using Xunit.Sdk;

namespace CloudGateway.Tests.Storage;

/// <summary>
/// A fact of a contract suite (written once in an abstract class, run for each implementation). It is skipped, with
/// the reason said plainly, when the concrete test class carries <see cref="SkipUnlessEnvironmentAttribute"/> and
/// that environment variable is not set.
/// </summary>
[XunitTestCaseDiscoverer("CloudGateway.Tests.Storage.ContractFactDiscoverer", "CloudGateway.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;

/// <summary>Skips every contract fact of the test class unless <paramref name="variable"/> is set.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SkipUnlessEnvironmentAttribute(string variable, string reason) : Attribute
{
    public string Variable { get; } = variable;

    public string Reason { get; } = reason;
}

/// <summary>Finds contract facts, skipping them for a test class whose environment is missing.</summary>
public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var requirement = testMethod.TestClass.Class.GetCustomAttributes(typeof(SkipUnlessEnvironmentAttribute)).FirstOrDefault();
        var arguments = requirement?.GetConstructorArguments().Cast<string>().ToArray();
        var skip = CiRun.SkipUnlessCi(arguments is [var variable, var reason] && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)) ? reason : null);
        yield return skip is null
            ? new XunitTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)
            : new SkippedTestCase(diagnosticMessageSink, discoveryOptions, testMethod, skip);
    }
}

/// <summary>A test case skipped for a reason decided at discovery; serializable so runners can pass it around.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    private string _reason = string.Empty;

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, string reason)
        : base(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod) => _reason = reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("SkipUnlessReason", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _reason = data.GetValue<string>("SkipUnlessReason");
        base.Deserialize(data);
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;
}
