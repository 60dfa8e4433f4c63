namespace CloudGateway.Storage;

/// <summary>Implemented by stores that several gateway servers share: they can count sessions across those servers.</summary>
public interface ISessionLeaseSource
{
    /// <summary>Session leases for one gateway server (one relay host), identified by <paramref name="serverId"/>.</summary>
    ISessionLeases OpenSessionLeases(string serverId);
}
