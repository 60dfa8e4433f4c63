using CloudGateway.Security;
using CloudGateway.Storage.Postgres;
using CloudGateway.Storage.Sqlite;

namespace CloudGateway.Storage;

/// <summary>
/// What a configuration database holds encrypted under its key file (providers' passwords, the gateways' certificates),
/// for <see cref="SecretProtector"/> to refuse a new key while they exist. The tables are the same on SQLite and PostgreSQL.
/// </summary>
internal static class SealedSecrets
{
    private const string ProvidersSql = "SELECT id, name, protected_password FROM tenant_providers";
    private const string CertificatesSql = "SELECT 'active', pkcs12 FROM gateway_certificate UNION ALL SELECT slot, pkcs12 FROM gateway_certificate_slots";

    /// <summary>Where a provider's password is stored.</summary>
    public static string OfProvider(Guid providerId) => $"provider/{providerId:D}";

    /// <summary>Where one of the gateways' certificates is stored.</summary>
    public static string OfCertificate(CertificateSlot slot) => $"certificate/{(slot == CertificateSlot.Active ? "active" : ConfigurationRows.SlotName(slot))}";

    /// <summary>The sealed secrets of a SQLite configuration database.</summary>
    public static IReadOnlyList<SealedSecret> In(SqliteDatabase database) => database.Read(c => Of(
        c.Query(null, ProvidersSql, r => (Guid.Parse(r.GetString(0)), r.GetString(1), (byte[])r.GetValue(2))),
        c.Query(null, CertificatesSql, r => (r.GetString(0), (byte[])r.GetValue(1)))));

    /// <summary>The sealed secrets of a PostgreSQL configuration database.</summary>
    public static IReadOnlyList<SealedSecret> In(PostgresDatabase database) => database.Read((c, t) => Of(
        PostgresSql.Query(c, t, ProvidersSql, r => (r.GetGuid(0), r.GetString(1), (byte[])r.GetValue(2))),
        PostgresSql.Query(c, t, CertificatesSql, r => (r.GetString(0), (byte[])r.GetValue(1)))));

    private static List<SealedSecret> Of(List<(Guid Id, string Name, byte[] Blob)> providers, List<(string Slot, byte[] Blob)> certificates) =>
        providers.Where(p => SecretProtector.IsProtected(p.Blob)).Select(p => new SealedSecret(OfProvider(p.Id), $"the password of provider '{p.Name}'"))
            .Concat(certificates.Where(c => SecretProtector.IsProtected(c.Blob)).Select(c => new SealedSecret($"certificate/{c.Slot}", $"the {c.Slot} gateway certificate")))
            .ToList();
}
