using CloudGateway.Model;
using CloudGateway.Networking;

namespace CloudGateway.Storage;

/// <summary>
/// The one implementation of <see cref="IConfigurationStore"/>'s rules over a backend's tables: every change validates,
/// stamps, checks names and guards (<see cref="ConfigurationGuards"/>) and writes inside one transaction of the backend,
/// so SQLite and PostgreSQL refuse the same changes with the same errors and a refused change writes nothing.
/// </summary>
public abstract class ConfigurationStore : IConfigurationStore
{
    private readonly StoredCertificate _certificate;
    private readonly TimeProvider _time;

    private protected ConfigurationStore(StoredCertificate certificate, TimeProvider time)
    {
        _certificate = certificate;
        _time = time;
    }

    /// <inheritdoc />
    public abstract string Location { get; }

    /// <inheritdoc />
    public long GetChangeCounter() => Read(tables => tables.ChangeCounter());

    /// <inheritdoc />
    public IReadOnlyList<Gateway> GetGateways() => Read(tables => tables.ReadGateways(null));

    /// <inheritdoc />
    public Gateway GetGateway(string name) => Read(tables => GatewayOrThrow(tables, name));

    /// <inheritdoc />
    public Gateway AddGateway(Gateway gateway)
    {
        var now = _time.GetUtcNow();
        var checkedGateway = GatewayValidator.Check(gateway) with { Created = now, Modified = now, Pool = null };
        return Write(tables =>
        {
            EnsureNameFree(tables, ConfigurationTable.Gateways, checkedGateway.Name, checkedGateway.Id, currentName: null);
            tables.WriteGateway(checkedGateway);
            return GatewayOrThrow(tables, checkedGateway.Name);
        });
    }

    /// <inheritdoc />
    public Gateway UpdateGateway(string name, Func<Gateway, Gateway> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Write(tables =>
        {
            var current = GatewayOrThrow(tables, name);
            var updated = GatewayValidator.Check(change(current) with { Id = current.Id, Created = current.Created, Modified = _time.GetUtcNow(), Pool = current.Pool });
            EnsureNameFree(tables, ConfigurationTable.Gateways, updated.Name, updated.Id, current.Name);
            tables.WriteGateway(updated);
            return GatewayOrThrow(tables, updated.Name);
        });
    }

    /// <inheritdoc />
    public void RemoveGateway(string name) => Write(tables =>
    {
        tables.Delete(ConfigurationTable.Gateways, GatewayOrThrow(tables, name).Id);
        return 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<GatewayPool> GetPools() => Read(tables => tables.ReadPools(null));

    /// <inheritdoc />
    public GatewayPool GetPool(string name) => Read(tables => PoolOrThrow(tables, name));

    /// <inheritdoc />
    public GatewayPool AddPool(GatewayPool pool, bool force = false)
    {
        var now = _time.GetUtcNow();
        var checkedPool = GatewayPoolValidator.Check(pool) with { Created = now, Modified = now };
        return Write(tables =>
        {
            EnsureNameFree(tables, ConfigurationTable.Pools, checkedPool.Name, checkedPool.Id, currentName: null);
            CheckMembers(tables, checkedPool, force);
            tables.WritePool(checkedPool);
            return PoolOrThrow(tables, checkedPool.Name);
        });
    }

    /// <inheritdoc />
    public GatewayPool UpdatePool(string name, Func<GatewayPool, GatewayPool> change, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Write(tables =>
        {
            var current = PoolOrThrow(tables, name);
            var updated = GatewayPoolValidator.Check(change(current) with { Id = current.Id, Created = current.Created, Modified = _time.GetUtcNow() });
            EnsureNameFree(tables, ConfigurationTable.Pools, updated.Name, updated.Id, current.Name);
            CheckMembers(tables, updated, force);
            tables.WritePool(updated);
            return PoolOrThrow(tables, updated.Name);
        });
    }

    /// <inheritdoc />
    public void RemovePool(string name, bool force = false) => Write(tables =>
    {
        var pool = PoolOrThrow(tables, name);
        var users = tables.ReadTenants(null).Where(x => x.Tenant.Pools.Contains(pool.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        ConfigurationGuards.CheckPoolRemoval(pool.Name, users.ConvertAll(x => x.Tenant.Name), force);

        var now = _time.GetUtcNow();
        foreach (var (tenant, hash) in users)
        {
            var pools = tenant.Pools.Where(p => !string.Equals(p, pool.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            var selection = pools.Count == 0 && tenant.GatewaySelection == GatewaySelection.Pools ? GatewaySelection.Standalone : tenant.GatewaySelection;
            tables.WriteTenant(tenant with { Pools = pools, GatewaySelection = selection, Modified = now }, hash);
        }

        tables.WritePool(pool with { Members = [] });
        tables.Delete(ConfigurationTable.Pools, pool.Id);
        return 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<Tenant> GetTenants() => Read(tables => tables.ReadTenants(null).ConvertAll(x => x.Tenant));

    /// <inheritdoc />
    public Tenant GetTenant(string name) => Read(tables => TenantOrThrow(tables, name).Tenant);

    /// <inheritdoc />
    public Tenant AddTenant(Tenant tenant, string passwordHash)
    {
        ConfigurationGuards.CheckPasswordHash(passwordHash, tenant?.Name);
        var now = _time.GetUtcNow();
        var checkedTenant = TenantValidator.Check(tenant!) with { Created = now, Modified = now, FailedLogonCount = 0, LastFailedLogon = null, LockedUntil = null };
        return Write(tables =>
        {
            EnsureNameFree(tables, ConfigurationTable.Tenants, checkedTenant.Name, checkedTenant.Id, currentName: null);
            CheckTenantPools(tables, checkedTenant);
            tables.WriteTenant(checkedTenant, passwordHash);
            return TenantOrThrow(tables, checkedTenant.Name).Tenant;
        });
    }

    /// <inheritdoc />
    public Tenant UpdateTenant(string name, Func<Tenant, Tenant> change, string? passwordHash = null, Func<DefaultGatewayConfiguration, DefaultGatewayConfiguration>? networkExtension = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (passwordHash is not null)
        {
            ConfigurationGuards.CheckPasswordHash(passwordHash, name);
        }

        return Write(tables =>
        {
            var (current, hash) = TenantOrThrow(tables, name);
            if (networkExtension is not null)
            {
                NetworkExtensionStore.ChangeConfiguration(tables.NetworkExtension, current.Name, networkExtension);
            }

            var updated = TenantValidator.Check(change(current) with
            {
                Id = current.Id,
                Created = current.Created,
                Modified = _time.GetUtcNow(),
                FailedLogonCount = current.FailedLogonCount,
                LastFailedLogon = current.LastFailedLogon,
                LockedUntil = current.LockedUntil,
            });
            EnsureNameFree(tables, ConfigurationTable.Tenants, updated.Name, updated.Id, current.Name);
            CheckTenantPools(tables, updated);
            tables.WriteTenant(updated, passwordHash ?? hash);
            return TenantOrThrow(tables, updated.Name).Tenant;
        });
    }

    /// <inheritdoc />
    public void SetTenantPassword(string name, string passwordHash)
    {
        ConfigurationGuards.CheckPasswordHash(passwordHash, name);
        Write(tables =>
        {
            var (tenant, _) = TenantOrThrow(tables, name);
            tables.WriteTenant(tenant with { Modified = _time.GetUtcNow() }, passwordHash);
            return 0;
        });
    }

    /// <inheritdoc />
    public void RemoveTenant(string name) => Write(tables =>
    {
        tables.Delete(ConfigurationTable.Tenants, TenantOrThrow(tables, name).Tenant.Id);
        return 0;
    });

    /// <inheritdoc />
    public Tenant RecordFailedLogon(string name, DateTimeOffset at, LockoutPolicy policy, int sources)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return ChangeLogonState(name, tenant =>
        {
            var (count, lockedUntil) = ConfigurationGuards.FailedLogon(tenant, at, policy, sources);
            return tenant with { FailedLogonCount = count, LastFailedLogon = at, LockedUntil = lockedUntil };
        });
    }

    /// <inheritdoc />
    public Tenant ResetFailedLogons(string name) =>
        ChangeLogonState(name, tenant => tenant with { FailedLogonCount = 0, LastFailedLogon = null, LockedUntil = null });

    /// <inheritdoc />
    public void ForgiveFailedLogons(string name) => ChangeLogonState(name, tenant => tenant with { FailedLogonCount = 0 });

    /// <inheritdoc />
    public IReadOnlyList<TenantResource> GetResources(string? tenant = null) =>
        Read(tables => tables.ReadResources(tenant is null ? null : TenantOrThrow(tables, tenant).Tenant.Name, null));

    /// <inheritdoc />
    public TenantResource GetResource(string tenant, string name) => Read(tables => ResourceOrThrow(tables, tenant, name));

    /// <inheritdoc />
    public TenantResource AddResource(TenantResource resource)
    {
        var now = _time.GetUtcNow();
        var checkedResource = TenantResourceValidator.Check(resource) with { Created = now, Modified = now };
        return Write(tables =>
        {
            var (tenant, _) = TenantOrThrow(tables, checkedResource.Tenant);
            EnsureResourceNameFree(tables, tenant.Name, checkedResource.Name, checkedResource.Id, isNew: true);
            tables.WriteResource(checkedResource);
            return ResourceOrThrow(tables, tenant.Name, checkedResource.Name);
        });
    }

    /// <inheritdoc />
    public TenantResource UpdateResource(string tenant, string name, Func<TenantResource, TenantResource> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Write(tables =>
        {
            var current = ResourceOrThrow(tables, tenant, name);
            var updated = TenantResourceValidator.Check(change(current) with { Id = current.Id, Tenant = current.Tenant, Created = current.Created, Modified = _time.GetUtcNow() });
            EnsureResourceNameFree(tables, current.Tenant, updated.Name, updated.Id, isNew: false);
            tables.WriteResource(updated);
            return ResourceOrThrow(tables, updated.Tenant, updated.Name);
        });
    }

    /// <inheritdoc />
    public void RemoveResource(string tenant, string name) => Write(tables =>
    {
        tables.Delete(ConfigurationTable.Resources, ResourceOrThrow(tables, tenant, name).Id);
        return 0;
    });

    /// <inheritdoc />
    public byte[]? GetGatewayCertificate() => GetGatewayCertificate(CertificateSlot.Active);

    /// <inheritdoc />
    public byte[]? GetGatewayCertificate(CertificateSlot slot) => Read(tables => tables.ReadCertificate(slot)) is { } stored ? _certificate.Open(stored) : null;

    /// <inheritdoc />
    public void SetGatewayCertificate(byte[] pkcs12) => SetGatewayCertificate(pkcs12, CertificateSlot.Active);

    /// <inheritdoc />
    public void SetGatewayCertificate(byte[] pkcs12, CertificateSlot slot)
    {
        ArgumentNullException.ThrowIfNull(pkcs12);
        if (slot == CertificateSlot.Previous)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "Only a switch fills the previous certificate.");
        }

        if (pkcs12.Length == 0)
        {
            throw new GatewayException(GatewayErrorCode.CertificateError, "The gateways' certificate must not be empty.");
        }

        var thumbprint = Certificates.Pkcs12.ThumbprintOf(pkcs12, "The gateways' certificate");
        var sealedPkcs12 = _certificate.Seal(pkcs12, slot);
        Write(tables =>
        {
            if (slot == CertificateSlot.Next)
            {
                CheckSuccessor(tables, thumbprint);
            }

            tables.WriteCertificate(slot, sealedPkcs12, thumbprint, _time.GetUtcNow());
            return 0;
        });
    }

    /// <inheritdoc />
    public CertificateState SwitchGatewayCertificate(bool rollback, string? expectedActive = null) => Write(tables =>
    {
        var (from, to) = rollback ? (CertificateSlot.Previous, CertificateSlot.Next) : (CertificateSlot.Next, CertificateSlot.Previous);
        var thumbprints = tables.ReadCertificateThumbprints();
        if (expectedActive is not null && thumbprints.GetValueOrDefault(CertificateSlot.Active) != expectedActive)
        {
            return CertificateStateOf(tables);
        }

        if (tables.ReadCertificate(from) is not { } incoming)
        {
            throw new GatewayException(GatewayErrorCode.NotFound, rollback
                ? "There is no previous gateway certificate to roll back to; only a switch keeps one."
                : "No successor gateway certificate is staged; stage one with New-CloudGatewayCertificate -Next or Set-CloudGatewayCertificate -Next.", "GatewayCertificate");
        }

        if (rollback && thumbprints.GetValueOrDefault(CertificateSlot.Next) is { } staged)
        {
            throw new GatewayException(GatewayErrorCode.CertificateExists, $"A successor ({staged}) is staged; a rollback would make the certificate it replaces the successor. Switch to the staged one, or stage it again after the rollback.", "GatewayCertificate");
        }

        // A certificate this key cannot open (a key file replaced since it was sealed) must not become the active one:
        // opening it first makes the switch fail before anything is written.
        _ = _certificate.Open(incoming);

        // A switch only ever follows an active certificate, which every switch and staging requires.
        var outgoing = tables.ReadCertificate(CertificateSlot.Active)!;
        var outgoingThumbprint = thumbprints.GetValueOrDefault(CertificateSlot.Active)
            ?? Certificates.Pkcs12.ThumbprintOf(_certificate.Open(outgoing), "The active gateway certificate");
        var now = _time.GetUtcNow();
        tables.WriteCertificate(CertificateSlot.Active, incoming, thumbprints[from], now);
        tables.WriteCertificate(from, null, null, now);
        tables.WriteCertificate(to, outgoing, outgoingThumbprint, now);
        return CertificateStateOf(tables);
    });

    /// <inheritdoc />
    public bool StageGatewayCertificateRenewal(byte[] pkcs12, string renewing)
    {
        ArgumentNullException.ThrowIfNull(pkcs12);
        var thumbprint = Certificates.Pkcs12.ThumbprintOf(pkcs12, "The renewed gateway certificate");
        var sealedPkcs12 = _certificate.Seal(pkcs12, CertificateSlot.Next);
        return Write(tables =>
        {
            var thumbprints = tables.ReadCertificateThumbprints();
            if (thumbprints.ContainsKey(CertificateSlot.Next) || thumbprints.GetValueOrDefault(CertificateSlot.Active) != renewing)
            {
                return false;
            }

            tables.WriteCertificate(CertificateSlot.Next, sealedPkcs12, thumbprint, _time.GetUtcNow());
            return true;
        });
    }

    /// <inheritdoc />
    public CertificateState GetCertificateState() => Read(CertificateStateOf);

    /// <inheritdoc />
    public void RecordCertificatePin(string tenant, string thumbprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(thumbprint);
        Write(tables =>
        {
            tables.WriteCertificatePin(TenantOrThrow(tables, tenant).Tenant.Id, thumbprint, _time.GetUtcNow());
            return 0;
        });
    }

    /// <inheritdoc />
    public ConfigurationSnapshot ReadSnapshot() => Read(Snapshot);

    /// <inheritdoc />
    public ConfigurationChanges? ReadChangesSince(long changeCounter) => Read(tables =>
    {
        var now = tables.ChangeCounter();

        // A counter ahead of the store's means another database (one restored from a backup): nothing is known of it.
        if (changeCounter < now - RemovalWindow || changeCounter > now)
        {
            return null;
        }

        var removed = tables.ReadRemovedSince(changeCounter);
        return new ConfigurationChanges(
            now,
            tables.ReadGateways(null),
            tables.ReadPools(null),
            tables.ReadTenantsChangedSince(changeCounter),
            tables.ReadResourcesChangedSince(changeCounter),
            removed.Where(r => r.Table == ConfigurationTable.Tenants).Select(r => r.Id).ToList(),
            removed.Where(r => r.Table == ConfigurationTable.Resources).Select(r => r.Id).ToList())
        {
            Certificates = CertificateStateOf(tables),
        };
    });

    /// <inheritdoc />
    public ConfigurationDocument ReplaceConfiguration(Func<ConfigurationDocument, ConfigurationDocument> change, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Write(tables =>
        {
            var next = ConfigurationDocumentValidator.Check(change(ConfigurationDocument.FromSnapshot(Snapshot(tables))));
            var now = _time.GetUtcNow();
            var written = new EntityProgress(progress, next, "written");

            // Objects that stay keep their rows (and whatever other tables link to them); every name is freed first so
            // the writes that follow can swap names.
            tables.ClearMemberships();
            tables.KeepOnly(ConfigurationTable.Resources, [.. next.Resources.Select(r => r.Id)]);
            tables.KeepOnly(ConfigurationTable.Tenants, [.. next.Tenants.Select(x => x.Tenant.Id)]);
            tables.KeepOnly(ConfigurationTable.Pools, [.. next.Pools.Select(p => p.Id)]);
            tables.KeepOnly(ConfigurationTable.Gateways, [.. next.Gateways.Select(g => g.Id)]);
            foreach (var gateway in next.Gateways)
            {
                tables.WriteGateway(gateway with { Created = Stamp(gateway.Created, now), Modified = Stamp(gateway.Modified, now) });
                written.Done("gateway " + gateway.Name);
            }

            foreach (var pool in next.Pools)
            {
                tables.WritePool(pool with { Created = Stamp(pool.Created, now), Modified = Stamp(pool.Modified, now) });
                written.Done("pool " + pool.Name);
            }

            foreach (var (tenant, hash) in next.Tenants)
            {
                tables.WriteTenant(tenant with { Created = Stamp(tenant.Created, now), Modified = Stamp(tenant.Modified, now) }, hash);
                written.Done("tenant " + tenant.Name);
            }

            foreach (var resource in next.Resources)
            {
                tables.WriteResource(resource with { Created = Stamp(resource.Created, now), Modified = Stamp(resource.Modified, now) });
                written.Done($"resource {resource.Tenant}/{resource.Name}");
            }

            return ConfigurationDocument.FromSnapshot(Snapshot(tables));
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the backend's connections.</summary>
    protected abstract void Dispose(bool disposing);

    /// <summary>Runs <paramref name="read"/> on one consistent snapshot of the backend's tables.</summary>
    private protected abstract T Read<T>(Func<IConfigurationTables, T> read);

    /// <summary>Runs <paramref name="write"/> in one transaction of the backend that bumps the change counter; nothing is kept when it throws.</summary>
    private protected abstract T Write<T>(Func<IConfigurationTables, T> write);

    /// <summary>Returns a newly opened store after encrypting a certificate an earlier version stored bare; disposes it on failure.</summary>
    private protected static TStore Opened<TStore>(TStore store)
        where TStore : ConfigurationStore
    {
        try
        {
            store.SealLegacyCertificate();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    // A read first, so that only a database still holding a bare certificate is written to when opened.
    private void SealLegacyCertificate()
    {
        if (Read(tables => tables.ReadCertificate(CertificateSlot.Active)) is not { } stored || !_certificate.NeedsSealing(stored))
        {
            return;
        }

        Write(tables =>
        {
            if (tables.ReadCertificate(CertificateSlot.Active) is { } current && _certificate.NeedsSealing(current))
            {
                tables.WriteCertificate(CertificateSlot.Active, _certificate.Seal(current, CertificateSlot.Active), Certificates.Pkcs12.ThumbprintOf(current, "The stored gateway certificate"), _time.GetUtcNow());
            }

            return 0;
        });
    }

    private Tenant ChangeLogonState(string name, Func<Tenant, Tenant> change) => Write(tables =>
    {
        var (tenant, hash) = TenantOrThrow(tables, name);
        tables.WriteTenant(change(tenant), hash);
        return TenantOrThrow(tables, tenant.Name).Tenant;
    });

    private static DateTimeOffset Stamp(DateTimeOffset time, DateTimeOffset now) => time == default ? now : time;

    // How many changes back the stores keep removed rows (the window in migrations SQLite 0006 and PostgreSQL 0006).
    private const long RemovalWindow = 1_000_000;

    private static ConfigurationSnapshot Snapshot(IConfigurationTables tables) =>
        new(tables.ChangeCounter(), tables.ReadGateways(null), tables.ReadPools(null), tables.ReadTenants(null), tables.ReadResources(null, null))
        {
            Certificates = CertificateStateOf(tables),
        };

    private static CertificateState CertificateStateOf(IConfigurationTables tables)
    {
        var thumbprints = tables.ReadCertificateThumbprints();
        return new CertificateState
        {
            Active = thumbprints.GetValueOrDefault(CertificateSlot.Active),
            Next = thumbprints.GetValueOrDefault(CertificateSlot.Next),
            Previous = thumbprints.GetValueOrDefault(CertificateSlot.Previous),
            LearnedByTenant = tables.ReadCertificatePins().ToDictionary(p => p.Tenant, p => p.Thumbprint, StringComparer.OrdinalIgnoreCase),
        };
    }

    // A successor needs an active certificate to follow, and must differ from it.
    private static void CheckSuccessor(IConfigurationTables tables, string thumbprint)
    {
        if (tables.ReadCertificate(CertificateSlot.Active) is null)
        {
            throw new GatewayException(GatewayErrorCode.NotFound, "No gateway certificate is set, so there is nothing to stage a successor for; create the first one without -Next.", "GatewayCertificate");
        }

        if (tables.ReadCertificateThumbprints().GetValueOrDefault(CertificateSlot.Active) == thumbprint)
        {
            throw new GatewayException(GatewayErrorCode.CertificateExists, $"The certificate {thumbprint} is already the active one; a successor must be a different certificate.", "GatewayCertificate");
        }
    }

    private static Gateway GatewayOrThrow(IConfigurationTables tables, string name) =>
        tables.ReadGateways(Required(name)).SingleOrDefault() ?? throw ConfigurationGuards.NotFound("gateway", name);

    private static GatewayPool PoolOrThrow(IConfigurationTables tables, string name) =>
        tables.ReadPools(Required(name)).SingleOrDefault() ?? throw ConfigurationGuards.NotFound("gateway pool", name);

    private static TenantCredential TenantOrThrow(IConfigurationTables tables, string name) =>
        tables.ReadTenants(Required(name)).SingleOrDefault() ?? throw ConfigurationGuards.NotFound("tenant", name);

    private static TenantResource ResourceOrThrow(IConfigurationTables tables, string tenant, string name)
    {
        Required(name);
        var owner = TenantOrThrow(tables, tenant).Tenant;
        return tables.ReadResources(owner.Name, name).SingleOrDefault()
            ?? throw new GatewayException(GatewayErrorCode.NotFound, $"The tenant '{owner.Name}' has no resource named '{name}'.", name);
    }

    private static string Required(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name;
    }

    /// <summary>
    /// Whether two names have the same key (their invariant upper case, as the tables' name_key). Upper-casing keeps the
    /// length, one UTF-16 unit for one, so the keys are made on the stack: a new tenant is compared with 10,000 names
    /// without allocating.
    /// </summary>
    private static bool SameKey(string a, string b)
    {
        const int OnStack = 256;
        if (a.Length != b.Length)
        {
            return false;
        }

        if (a.Length > OnStack)
        {
            return string.Equals(a.ToUpperInvariant(), b.ToUpperInvariant(), StringComparison.Ordinal);
        }

        Span<char> keyA = stackalloc char[a.Length];
        Span<char> keyB = stackalloc char[b.Length];
        a.AsSpan().ToUpperInvariant(keyA);
        b.AsSpan().ToUpperInvariant(keyB);
        return keyA.SequenceEqual(keyB);
    }

    /// <summary>
    /// The name must be free (ignoring case), not look like another, and, for a new object (no <paramref name="currentName"/>),
    /// its id unused. A name kept exactly as stored passes at once: it was checked against every other name when it was
    /// written, and every name written since was checked against it; so changing one of 10,000 tenants reads no other name.
    /// </summary>
    private static void EnsureNameFree(IConfigurationTables tables, ConfigurationTable table, string name, Guid id, string? currentName)
    {
        if (string.Equals(name, currentName, StringComparison.Ordinal))
        {
            return;
        }

        var isNew = currentName is null;
        var kind = table switch { ConfigurationTable.Gateways => "gateway", ConfigurationTable.Pools => "gateway pool", _ => "tenant" };
        var names = tables.Names(table);
        if (names.Find(n => n.Id != id && SameKey(n.Name, name)) is { Name: { } owner })
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"A {kind} named '{owner}' already exists (names are compared without regard to case).", name);
        }

        if (isNew && tables.IdTaken(table, id))
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"Another {kind} already has the id {id}.", name);
        }

        ConfigurationGuards.CheckNotLookalike(kind, name, currentName, names.Where(n => n.Id != id).Select(n => n.Name));
    }

    /// <summary>As <see cref="EnsureNameFree"/>, among the tenant's resources (ids are unique over all of them).</summary>
    private static void EnsureResourceNameFree(IConfigurationTables tables, string tenant, string name, Guid id, bool isNew)
    {
        var names = tables.Names(ConfigurationTable.Resources, tenant);
        if (names.Find(n => n.Id != id && SameKey(n.Name, name)) is { Name: { } owner })
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"The tenant '{tenant}' already has a resource named '{owner}'.", name);
        }

        if (isNew && tables.IdTaken(ConfigurationTable.Resources, id))
        {
            throw new GatewayException(GatewayErrorCode.DuplicateName, $"Another resource already has the id {id}.", name);
        }

        var current = isNew ? null : names.Find(n => n.Id == id).Name;
        ConfigurationGuards.CheckNotLookalike("resource", name, current, names.Where(n => n.Id != id).Select(n => n.Name), $" for the tenant '{tenant}'");
    }

    private static void CheckMembers(IConfigurationTables tables, GatewayPool pool, bool force)
    {
        var gateways = tables.ReadGateways(null);
        var pools = tables.ReadPools(null);
        var idOfGateway = gateways.ToDictionary(g => g.Name, g => g.Id, StringComparer.OrdinalIgnoreCase);
        var poolOfGateway = pools.SelectMany(p => p.Members.Select(m => (Gateway: idOfGateway[m], Pool: p.Id))).ToDictionary(m => m.Gateway, m => m.Pool);
        ConfigurationGuards.CheckPoolMembers(
            pool,
            gateways,
            poolOfGateway,
            () => tables.ReadTenants(null).Where(x => x.Tenant.GatewaySelection == GatewaySelection.Standalone).Select(x => x.Tenant.Name).ToList(),
            force);
    }

    private static void CheckTenantPools(IConfigurationTables tables, Tenant tenant) =>
        ConfigurationGuards.CheckTenantPools(tenant, pool => tables.ReadPools(pool).Count > 0);
}
