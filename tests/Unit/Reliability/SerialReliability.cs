namespace CloudGateway.Tests.Reliability;

/// <summary>
/// The reliability tests count connections, descriptors, threads, memory and latencies of the whole process, so
/// they run alone, after the parallel part of the suite.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialReliability
{
    public const string Name = "Reliability";
}
