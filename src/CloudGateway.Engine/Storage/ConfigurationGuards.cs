using CloudGateway.Model;
using CloudGateway.Security;

namespace CloudGateway.Storage;

/// <summary>
/// The guards every store enforces, with the same error codes and messages, on the configuration as the store read
/// it inside the transaction that makes the change. Shared by the SQLite and PostgreSQL stores.
/// </summary>
internal static class ConfigurationGuards
{
    /// <summary>
    /// Every member must exist and belong to no other pool; the last standalone gateway may be pooled while tenants use
    /// standalone gateways only with <paramref name="force"/>.
    /// </summary>
    /// <param name="pool">The pool as it is to be stored.</param>
    /// <param name="gateways">Every gateway.</param>
    /// <param name="poolOfGateway">The pool id of every pooled gateway, by gateway id.</param>
    /// <param name="standaloneTenants">Reads the names of the tenants whose selection is Standalone (only when needed).</param>
    /// <param name="force">Whether the administrator allowed pooling the last standalone gateway.</param>
    public static void CheckPoolMembers(
        GatewayPool pool,
        IReadOnlyList<Gateway> gateways,
        IReadOnlyDictionary<Guid, Guid> poolOfGateway,
        Func<IReadOnlyList<string>> standaloneTenants,
        bool force)
    {
        var byName = gateways.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var member in pool.Members)
        {
            if (!byName.TryGetValue(member, out var gateway))
            {
                throw new GatewayException(GatewayErrorCode.NotFound, $"There is no gateway named '{member}' to put in the pool '{pool.Name}'.", member);
            }

            if (poolOfGateway.TryGetValue(gateway.Id, out var other) && other != pool.Id)
            {
                throw new GatewayException(GatewayErrorCode.GatewayInAnotherPool, $"The gateway '{gateway.Name}' already belongs to the pool '{gateway.Pool}'; take it out of that pool first.", gateway.Name);
            }
        }

        var members = pool.Members.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var standaloneBefore = gateways.Where(g => !poolOfGateway.ContainsKey(g.Id)).ToList();
        var standaloneAfter = gateways.Count(g => !members.Contains(g.Name) && (!poolOfGateway.TryGetValue(g.Id, out var current) || current == pool.Id));
        if (force || standaloneBefore.Count == 0 || standaloneAfter > 0)
        {
            return;
        }

        var tenants = standaloneTenants();
        if (tenants.Count > 0)
        {
            throw new GatewayException(GatewayErrorCode.LastStandaloneGateway, $"Pooling {string.Join(", ", standaloneBefore.Select(g => $"'{g.Name}'"))} would leave no standalone gateway, while the tenant(s) {string.Join(", ", tenants)} use standalone gateways; use -Force to do it anyway.", pool.Name);
        }
    }

    /// <summary>Every pool the tenant is given must exist.</summary>
    public static void CheckTenantPools(Tenant tenant, Func<string, bool> poolExists)
    {
        foreach (var pool in tenant.Pools)
        {
            if (!poolExists(pool))
            {
                throw new GatewayException(GatewayErrorCode.PoolNotFound, $"Tenant '{tenant.Name}' cannot be given the gateway pool '{pool}': there is no such pool.", pool);
            }
        }
    }

    /// <summary>A pool still assigned to tenants is removed only with force.</summary>
    public static void CheckPoolRemoval(string pool, IReadOnlyList<string> users, bool force)
    {
        if (users.Count > 0 && !force)
        {
            throw new GatewayException(GatewayErrorCode.PoolInUse, $"The gateway pool '{pool}' is assigned to the tenant(s) {string.Join(", ", users)}; take it from them first, or use -Force to remove it from them too.", pool);
        }
    }

    /// <summary>A stored password hash must be a PBKDF2-SHA256 hash of enough iterations.</summary>
    public static void CheckPasswordHash(string passwordHash, string? tenant)
    {
        if (!PasswordHasher.IsWellFormed(passwordHash))
        {
            GatewayException.ThrowIfInvalid($"Tenant '{tenant}'", tenant, [new ValidationProblem("PasswordHash", $"is not a PBKDF2-SHA256 hash of at least {PasswordHasher.Iterations} iterations; hash the password with PasswordHasher.Hash.")]);
        }
    }

    /// <summary>The locked-out state after one more failed logon at <paramref name="at"/>, the window's failures having come from <paramref name="sources"/> different sources.</summary>
    public static (int Count, DateTimeOffset? LockedUntil) FailedLogon(Tenant tenant, DateTimeOffset at, LockoutPolicy policy, int sources)
    {
        var withinWindow = tenant.LastFailedLogon is { } last && at - last <= policy.Window;
        var count = withinWindow ? tenant.FailedLogonCount + 1 : 1;
        var lockedUntil = policy.Threshold > 0 && policy.LocksTenant(count, sources) ? at + policy.Duration : tenant.LockedUntil;
        return (count, lockedUntil);
    }

    /// <summary>
    /// A new or renamed object's name must not look like another's (<see cref="LookalikeNames"/>); an object that keeps
    /// its name passes, so objects stored before this rule can still be changed.
    /// </summary>
    public static void CheckNotLookalike(string kind, string name, string? currentName, IEnumerable<string> others, string where = "")
    {
        if (string.Equals(name, currentName, StringComparison.Ordinal) || LookalikeNames.FindLookalike(name, others) is not { } existing)
        {
            return;
        }

        throw new GatewayException(GatewayErrorCode.DuplicateName, $"A {kind} named '{existing}' already exists{where}, and '{name}' looks the same (names are compared after Unicode normalisation, without regard to case or to letters of other scripts that look alike); choose a name that can be told apart.", name);
    }

    /// <summary>The error for a named object that does not exist.</summary>
    public static GatewayException NotFound(string kind, string name) =>
        new(GatewayErrorCode.NotFound, $"There is no {kind} named '{name}'.", name);
}
