namespace CloudGateway.Storage;

/// <summary>
/// Which of the gateways' certificates: the one every gateway presents, the successor staged beside it (announced to
/// tenants before it is used), or the one the last switch replaced (kept so that a rollback is one command).
/// </summary>
public enum CertificateSlot
{
    /// <summary>The certificate every gateway presents.</summary>
    Active,

    /// <summary>The staged successor, announced in every accepted answer.</summary>
    Next,

    /// <summary>The certificate the last switch replaced.</summary>
    Previous,
}
