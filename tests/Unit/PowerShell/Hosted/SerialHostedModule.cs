namespace CloudGateway.Tests.PowerShell.Hosted;

/// <summary>
/// The hosted-module tests run one at a time: the module keeps one relay per process, and removing the module at the
/// end of a test stops it and closes every runspace's store.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialHostedModule
{
    public const string Name = "Hosted module";
}
