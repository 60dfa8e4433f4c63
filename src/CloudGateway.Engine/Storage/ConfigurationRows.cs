using System.Data.Common;
using CloudGateway.Model;

namespace CloudGateway.Storage;

/// <summary>
/// Reads configuration rows the SQLite and PostgreSQL tables return in the same column order. Ids come as text
/// (SQLite) or uuid, times as UTC ticks (SQLite) or timestamptz.
/// </summary>
internal static class ConfigurationRows
{
    /// <summary>The columns <see cref="ReadGateway"/> expects, for a query joining gateways <c>g</c> to their pool <c>p</c>.</summary>
    public const string GatewayColumns =
        "g.id, g.name, g.description, g.server, g.network_mode, g.address, g.port, g.listen_address, g.internal_port, g.enabled, p.name, g.created, g.modified";

    /// <summary>The columns <see cref="ReadPool"/> expects.</summary>
    public const string PoolColumns = "id, name, description, created, modified";

    /// <summary>The columns <see cref="ReadTenant"/> expects.</summary>
    public const string TenantColumns =
        "id, name, description, enabled, lease_expiration, gateway_selection, gateway_failover, max_concurrent_sessions, upload_bandwidth, " +
        "download_bandwidth, failed_logon_count, last_failed_logon, locked_until, created, modified, password_hash";

    /// <summary>The columns <see cref="ReadResource"/> expects, for a query joining resources <c>r</c> to their tenant <c>tn</c>.</summary>
    public const string ResourceColumns = "r.id, tn.name, r.name, r.target_host, r.target_port, r.description, r.created, r.modified";

    /// <summary>The name a Next or Previous certificate slot has in the slots table.</summary>
    public static string SlotName(CertificateSlot slot) => slot == CertificateSlot.Next ? "next" : "previous";

    /// <summary>The slot of a name <see cref="SlotName"/> gave, or "active".</summary>
    public static CertificateSlot ParseSlot(string name) => name switch
    {
        "next" => CertificateSlot.Next,
        "previous" => CertificateSlot.Previous,
        _ => CertificateSlot.Active,
    };

    /// <summary>A gateway from <see cref="GatewayColumns"/>.</summary>
    public static Gateway ReadGateway(DbDataReader r) => new()
    {
        Id = Id(r, 0),
        Name = r.GetString(1),
        Description = r.GetString(2),
        Server = r.GetString(3),
        NetworkMode = Enum.Parse<NetworkMode>(r.GetString(4)),
        Address = r.GetString(5),
        Port = r.GetInt32(6),
        ListenAddress = r.IsDBNull(7) ? null : r.GetString(7),
        InternalPort = r.GetInt32(8),
        Enabled = r.GetBoolean(9),
        Pool = r.IsDBNull(10) ? null : r.GetString(10),
        Created = Time(r, 11),
        Modified = Time(r, 12),
    };

    /// <summary>A pool from <see cref="PoolColumns"/>, its member names looked up by pool id.</summary>
    public static GatewayPool ReadPool(DbDataReader r, ILookup<Guid, string> members) => new()
    {
        Id = Id(r, 0),
        Name = r.GetString(1),
        Description = r.GetString(2),
        Members = members[Id(r, 0)].ToList(),
        Created = Time(r, 3),
        Modified = Time(r, 4),
    };

    /// <summary>A tenant and its password hash from <see cref="TenantColumns"/>, its pool names looked up by tenant id.</summary>
    public static TenantCredential ReadTenant(DbDataReader r, ILookup<Guid, string> pools) => new(
        new Tenant
        {
            Id = Id(r, 0),
            Name = r.GetString(1),
            Description = r.GetString(2),
            Enabled = r.GetBoolean(3),
            LeaseExpiration = NullableTime(r, 4),
            GatewaySelection = Enum.Parse<GatewaySelection>(r.GetString(5)),
            Pools = pools[Id(r, 0)].ToList(),
            GatewayFailover = r.GetBoolean(6),
            MaxConcurrentSessions = r.GetInt32(7),
            UploadBandwidth = r.GetInt64(8),
            DownloadBandwidth = r.GetInt64(9),
            FailedLogonCount = r.GetInt32(10),
            LastFailedLogon = NullableTime(r, 11),
            LockedUntil = NullableTime(r, 12),
            Created = Time(r, 13),
            Modified = Time(r, 14),
        },
        r.GetString(15));

    /// <summary>A resource from <see cref="ResourceColumns"/>.</summary>
    public static TenantResource ReadResource(DbDataReader r) => new()
    {
        Id = Id(r, 0),
        Tenant = r.GetString(1),
        Name = r.GetString(2),
        TargetHost = r.GetString(3),
        TargetPort = r.GetInt32(4),
        Description = r.GetString(5),
        Created = Time(r, 6),
        Modified = Time(r, 7),
    };

    /// <summary>An (id, name) pair: a row's own, or a membership's (pool or tenant id, member name).</summary>
    public static (Guid Id, string Name) ReadIdAndName(DbDataReader r) => (Id(r, 0), r.GetString(1));

    private static Guid Id(DbDataReader r, int ordinal) => r.GetValue(ordinal) as Guid? ?? Guid.Parse(r.GetString(ordinal));

    private static DateTimeOffset Time(DbDataReader r, int ordinal) => r.GetValue(ordinal) switch
    {
        long ticks => new DateTimeOffset(ticks, TimeSpan.Zero),
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        var value => (DateTimeOffset)value,
    };

    private static DateTimeOffset? NullableTime(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Time(r, ordinal);
}
