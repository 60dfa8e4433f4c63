namespace CloudGateway.Relay;

/// <summary>What <see cref="CredentialVerifier"/> found: the password is right, wrong, or was not checked because every password check slot was taken.</summary>
internal enum PasswordCheck
{
    Right,
    Wrong,
    Busy,
}
