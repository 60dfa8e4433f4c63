namespace CloudGateway.Security;

/// <summary>
/// A secret a database holds encrypted by <see cref="SecretProtector"/>: <see cref="Slot"/> says where (a provider's
/// password, one of the certificate slots), so a write can tell the secret it replaces from the others;
/// <see cref="Description"/> names it in messages, never showing the secret.
/// </summary>
internal sealed record SealedSecret(string Slot, string Description);
