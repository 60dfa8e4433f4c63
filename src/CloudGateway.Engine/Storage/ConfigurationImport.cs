namespace CloudGateway.Storage;

/// <summary>What <see cref="ConfigurationTransfer.Import"/> stored, and its notes: the rows it added, updated and removed, and what to act on.</summary>
/// <param name="Configuration">The configuration now stored.</param>
/// <param name="Notes">Details of the change and warnings about the result (see <see cref="ConfigurationReview.AfterImport"/>).</param>
public sealed record ConfigurationImport(ConfigurationDocument Configuration, IReadOnlyList<OperationNote> Notes);
