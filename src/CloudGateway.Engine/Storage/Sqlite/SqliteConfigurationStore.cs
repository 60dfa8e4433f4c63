using CloudGateway.Model;
using CloudGateway.Networking;
using Microsoft.Data.Sqlite;
using static CloudGateway.Storage.ConfigurationRows;
using static CloudGateway.Storage.Sqlite.SqliteRows;
using static CloudGateway.Storage.Sqlite.SqliteRowWriter;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// The configuration store on one SQLite file, with the rules of <see cref="ConfigurationStore"/>. Every change is
/// written in one <c>BEGIN IMMEDIATE</c> transaction that bumps the change counter; several processes may use one file
/// at once. The gateways' private key is encrypted under the key file <c>&lt;database&gt;.key</c> beside it.
/// </summary>
public sealed class SqliteConfigurationStore : ConfigurationStore
{
    private readonly SqliteDatabase _database;

    private SqliteConfigurationStore(SqliteDatabase database, StoredCertificate certificate, TimeProvider time)
        : base(certificate, time)
    {
        _database = database;
        KeyPath = certificate.KeyPath!;
    }

    /// <inheritdoc />
    public override string Location => _database.Path;

    /// <summary>The key file that encrypts the gateways' private key (and the providers' passwords).</summary>
    public string KeyPath { get; }

    /// <summary>
    /// Opens (creating on first use) the database at <paramref name="path"/>; <paramref name="time"/> stamps Created and
    /// Modified. A certificate stored unencrypted by an earlier version is encrypted now.
    /// </summary>
    public static SqliteConfigurationStore Open(string path, TimeProvider? time = null)
    {
        var database = SqliteDatabase.Open(path);
        return Opened(new SqliteConfigurationStore(database, StoredCertificate.BesideFile(database.Path, () => SealedSecrets.In(database)), time ?? TimeProvider.System));
    }

    /// <summary>The schema version of the file.</summary>
    public int GetSchemaVersion() => _database.GetSchemaVersion();

    /// <inheritdoc />
    protected override void Dispose(bool disposing) => _database.Dispose();

    private protected override T Read<T>(Func<IConfigurationTables, T> read) => _database.Read(c => read(new Tables(c, null)));

    private protected override T Write<T>(Func<IConfigurationTables, T> write) => _database.Write((c, t) => write(new Tables(c, t)));

    /// <summary>The SQL of each table operation, on one connection and transaction. Ids are GUIDs in text form, times UTC ticks.</summary>
    private sealed class Tables(SqliteConnection c, SqliteTransaction? t) : IConfigurationTables
    {
        public INetworkExtensionTables NetworkExtension { get; } = new SqliteNetworkExtensionTables(c, t);

        public long ChangeCounter() => SqliteRows.ChangeCounter(c, t);

        public List<Gateway> ReadGateways(string? name) => Gateways(c, t, name);

        public List<GatewayPool> ReadPools(string? name) => Pools(c, t, name);

        public List<TenantCredential> ReadTenants(string? name) => Tenants(c, t, name);

        public List<TenantResource> ReadResources(string? tenant, string? name) => Resources(c, t, tenant, name);

        public List<TenantCredential> ReadTenantsChangedSince(long changeCounter) => TenantsChangedSince(c, t, changeCounter);

        public List<TenantResource> ReadResourcesChangedSince(long changeCounter) => ResourcesChangedSince(c, t, changeCounter);

        public List<(ConfigurationTable Table, Guid Id)> ReadRemovedSince(long changeCounter) => RemovedSince(c, t, changeCounter);

        public List<(Guid Id, string Name)> Names(ConfigurationTable table, string? tenant = null) => table == ConfigurationTable.Resources
            ? c.Query(t, "SELECT r.id, r.name FROM resources r JOIN tenants t ON t.id = r.tenant_id WHERE t.name_key = $tenant", ReadIdAndName, ("$tenant", Key(tenant!)))
            : c.Query(t, $"SELECT id, name FROM {Name(table)}", ReadIdAndName);

        public bool IdTaken(ConfigurationTable table, Guid id) => c.Scalar(t, $"SELECT 1 FROM {Name(table)} WHERE id = $id", ("$id", id.ToString())) is not null;

        public void WriteGateway(Gateway gateway) => UpsertGateway(c, t, gateway);

        public void WritePool(GatewayPool pool) => UpsertPool(c, t, pool);

        public void WriteTenant(Tenant tenant, string passwordHash) => UpsertTenant(c, t, tenant, passwordHash);

        public void WriteResource(TenantResource resource) => UpsertResource(c, t, resource);

        // A tenant's pools, resources and network extension rows go with it (ON DELETE CASCADE).
        public void Delete(ConfigurationTable table, Guid id) => c.Execute(t, $"DELETE FROM {Name(table)} WHERE id = $id", ("$id", id.ToString()));

        public void ClearMemberships()
        {
            c.Execute(t, "DELETE FROM tenant_pools");
            c.Execute(t, "UPDATE gateways SET pool_id = NULL, pool_position = NULL WHERE pool_id IS NOT NULL");
        }

        public void KeepOnly(ConfigurationTable table, IReadOnlyCollection<Guid> kept)
        {
            var keep = kept.Select(id => id.ToString()).ToHashSet();
            foreach (var id in c.Query(t, $"SELECT id FROM {Name(table)}", r => r.GetString(0)).Where(id => !keep.Contains(id)))
            {
                c.Execute(t, $"DELETE FROM {Name(table)} WHERE id = $id", ("$id", id));
            }

            c.Execute(t, $"UPDATE {Name(table)} SET name_key = '#' || id");
        }

        public byte[]? ReadCertificate(CertificateSlot slot) => slot == CertificateSlot.Active
            ? c.Scalar(t, "SELECT pkcs12 FROM gateway_certificate WHERE id = 1") as byte[]
            : c.Scalar(t, "SELECT pkcs12 FROM gateway_certificate_slots WHERE slot = $slot", ("$slot", SlotName(slot))) as byte[];

        public void WriteCertificate(CertificateSlot slot, byte[]? pkcs12, string? thumbprint, DateTimeOffset now)
        {
            if (slot == CertificateSlot.Active)
            {
                c.Execute(t, """
                    INSERT INTO gateway_certificate (id, pkcs12, thumbprint, modified) VALUES (1, $pkcs12, $thumbprint, $now)
                    ON CONFLICT (id) DO UPDATE SET pkcs12 = $pkcs12, thumbprint = $thumbprint, modified = $now
                    """, ("$pkcs12", pkcs12!), ("$thumbprint", thumbprint), ("$now", Ticks(now)));
            }
            else if (pkcs12 is null)
            {
                c.Execute(t, "DELETE FROM gateway_certificate_slots WHERE slot = $slot", ("$slot", SlotName(slot)));
            }
            else
            {
                c.Execute(t, """
                    INSERT INTO gateway_certificate_slots (slot, pkcs12, thumbprint, modified) VALUES ($slot, $pkcs12, $thumbprint, $now)
                    ON CONFLICT (slot) DO UPDATE SET pkcs12 = $pkcs12, thumbprint = $thumbprint, modified = $now
                    """, ("$slot", SlotName(slot)), ("$pkcs12", pkcs12), ("$thumbprint", thumbprint), ("$now", Ticks(now)));
            }
        }

        public Dictionary<CertificateSlot, string?> ReadCertificateThumbprints() => c.Query(t, """
            SELECT 'active', thumbprint FROM gateway_certificate WHERE id = 1
            UNION ALL SELECT slot, thumbprint FROM gateway_certificate_slots
            """, r => (Slot: ParseSlot(r.GetString(0)), Thumbprint: r.IsDBNull(1) ? null : r.GetString(1)))
            .ToDictionary(x => x.Slot, x => x.Thumbprint);

        public List<(string Tenant, string Thumbprint)> ReadCertificatePins() => c.Query(t,
            "SELECT n.name, p.thumbprint FROM tenant_certificate_pins p JOIN tenants n ON n.id = p.tenant_id",
            r => (r.GetString(0), r.GetString(1)));

        public void WriteCertificatePin(Guid tenant, string thumbprint, DateTimeOffset learned) => c.Execute(t, """
            INSERT INTO tenant_certificate_pins (tenant_id, thumbprint, learned) VALUES ($tenant, $thumbprint, $learned)
            ON CONFLICT (tenant_id) DO UPDATE SET thumbprint = $thumbprint, learned = $learned
            """, ("$tenant", tenant.ToString()), ("$thumbprint", thumbprint), ("$learned", Ticks(learned)));

        private static string Name(ConfigurationTable table) => table switch
        {
            ConfigurationTable.Gateways => "gateways",
            ConfigurationTable.Pools => "pools",
            ConfigurationTable.Tenants => "tenants",
            _ => "resources",
        };
    }
}
