using CloudGateway.Model;
using CloudGateway.Security;

namespace CloudGateway.Storage;

/// <summary>
/// Checks a complete configuration before any of it is written: every record, then names and ids, pool members,
/// tenants' pools and resources' tenants. Stores call it inside the transaction that replaces the configuration.
/// </summary>
public static class ConfigurationDocumentValidator
{
    /// <summary>
    /// Returns the document with every record normalized, or throws: ValidationFailed listing every invalid field
    /// of every record, else DuplicateName, NotFound, GatewayInAnotherPool or PoolNotFound for the first broken reference.
    /// </summary>
    public static ConfigurationDocument Check(ConfigurationDocument document)
    {
        var normalized = CheckRecords(document);
        CheckReferences(normalized);
        return normalized;
    }

    /// <summary>
    /// Checks the document's format, each record, and that no name or id repeats, but not references between
    /// records; returns it normalized. What a document to be merged into a store must pass before the merge.
    /// </summary>
    public static ConfigurationDocument CheckRecords(ConfigurationDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.FormatVersion != ConfigurationDocument.CurrentFormatVersion)
        {
            throw new GatewayException(GatewayErrorCode.InvalidConfigurationDocument, $"The configuration document has format version {document.FormatVersion}; this version of CloudGateway reads version {ConfigurationDocument.CurrentFormatVersion}.");
        }

        if (document.Gateways is null || document.Pools is null || document.Tenants is null || document.Resources is null || document.Tenants.Any(t => t?.Tenant is null))
        {
            throw new GatewayException(GatewayErrorCode.InvalidConfigurationDocument, "The configuration document must hold the lists gateways, pools, tenants and resources, and every tenant entry a tenant.");
        }

        var problems = new List<ValidationProblem>();
        var normalized = new ConfigurationDocument
        {
            Gateways = document.Gateways.Select(g => Collect(GatewayValidator.Normalize(g), GatewayValidator.Validate, $"gateway '{g.Name}'", problems)).ToList(),
            Pools = document.Pools.Select(p => Collect(GatewayPoolValidator.Normalize(p), GatewayPoolValidator.Validate, $"pool '{p.Name}'", problems)).ToList(),
            Tenants = document.Tenants.Select(t => new TenantCredential(Collect(TenantValidator.Normalize(t.Tenant), TenantValidator.Validate, $"tenant '{t.Tenant.Name}'", problems), t.PasswordHash)).ToList(),
            Resources = document.Resources.Select(r => Collect(TenantResourceValidator.Normalize(r), TenantResourceValidator.Validate, $"resource '{r.Name}' of tenant '{r.Tenant}'", problems)).ToList(),
        };
        foreach (var tenant in normalized.Tenants.Where(t => !PasswordHasher.IsWellFormed(t.PasswordHash)))
        {
            problems.Add(new ValidationProblem("PasswordHash", $"tenant '{tenant.Tenant.Name}': is not a PBKDF2-SHA256 hash of at least {PasswordHasher.Iterations} iterations."));
        }

        GatewayException.ThrowIfInvalid("The configuration document", null, problems);
        CheckUnique(normalized.Gateways.Select(g => (g.Id, g.Name)), "gateway");
        CheckUnique(normalized.Pools.Select(p => (p.Id, p.Name)), "gateway pool");
        CheckUnique(normalized.Tenants.Select(t => (t.Tenant.Id, t.Tenant.Name)), "tenant");
        CheckUnique(normalized.Resources.Select(r => (r.Id, $"{r.Tenant}/{r.Name}")), "tenant resource");
        return normalized;
    }

    private static T Collect<T>(T record, Func<T, IReadOnlyList<ValidationProblem>> validate, string what, List<ValidationProblem> problems)
    {
        problems.AddRange(validate(record).Select(p => p with { Message = $"{what}: {p.Message}" }));
        return record;
    }

    private static void CheckReferences(ConfigurationDocument document)
    {
        var gateways = document.Gateways.Select(g => g.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var poolOfGateway = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pool in document.Pools)
        {
            foreach (var member in pool.Members)
            {
                if (!gateways.Contains(member))
                {
                    throw new GatewayException(GatewayErrorCode.NotFound, $"Gateway pool '{pool.Name}' lists the gateway '{member}', which the document does not hold.", member);
                }

                if (!poolOfGateway.TryAdd(member, pool.Name))
                {
                    throw new GatewayException(GatewayErrorCode.GatewayInAnotherPool, $"The gateway '{member}' is listed by the pools '{poolOfGateway[member]}' and '{pool.Name}'; a gateway belongs to at most one pool.", member);
                }
            }
        }

        var pools = document.Pools.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var tenant in document.Tenants.Select(t => t.Tenant))
        {
            var missing = tenant.Pools.FirstOrDefault(p => !pools.Contains(p));
            if (missing is not null)
            {
                throw new GatewayException(GatewayErrorCode.PoolNotFound, $"Tenant '{tenant.Name}' is given the gateway pool '{missing}', which the document does not hold.", missing);
            }
        }

        var tenants = document.Tenants.Select(t => t.Tenant.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var orphan = document.Resources.FirstOrDefault(r => !tenants.Contains(r.Tenant));
        if (orphan is not null)
        {
            throw new GatewayException(GatewayErrorCode.NotFound, $"Resource '{orphan.Name}' belongs to the tenant '{orphan.Tenant}', which the document does not hold.", orphan.Tenant);
        }
    }

    private static void CheckUnique(IEnumerable<(Guid Id, string Name)> items, string kind)
    {
        var names = new Dictionary<string, string>(LookalikeNames.Comparer);
        var ids = new HashSet<Guid>();
        foreach (var (id, name) in items)
        {
            if (!names.TryAdd(name, name))
            {
                var what = string.Equals(names[name], name, StringComparison.Ordinal) ? $"the {kind} '{name}' more than once" : $"the {kind}s '{names[name]}' and '{name}', which count as one name";
                throw new GatewayException(GatewayErrorCode.DuplicateName, $"The configuration to import (with -Merge, the document together with what is stored) holds {what}: names are compared without regard to case, and letters that look alike count as the same.", name);
            }

            if (!ids.Add(id))
            {
                throw new GatewayException(GatewayErrorCode.DuplicateName, $"The document gives the id {id} to more than one {kind} (the second is '{name}').", name);
            }
        }
    }
}
