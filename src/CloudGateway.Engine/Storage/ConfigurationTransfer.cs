using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CloudGateway.Model;
using CloudGateway.Security;

namespace CloudGateway.Storage;

/// <summary>
/// Export and import of the whole configuration as one indented JSON document (tenants' passwords as their hashes, which
/// a restore needs; ids kept; the certificate and its private key never included). An import is checked completely before anything is written, and is written in
/// one transaction, so a failed import leaves the store exactly as it was.
/// </summary>
public static class ConfigurationTransfer
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>
    /// Writes the store's whole configuration to <paramref name="path"/> (owner-only from its creation, since it holds
    /// password hashes) and returns what was written; each entity written is reported to <paramref name="progress"/>.
    /// </summary>
    public static ConfigurationDocument Export(IConfigurationStore store, string path, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        progress?.Report(new WorkProgress { Status = "Reading the configuration", PercentComplete = 0 });
        var document = ConfigurationDocument.FromSnapshot(store.ReadSnapshot());
        var fullPath = Path.GetFullPath(path);
        var temporary = fullPath + ".tmp";
        try
        {
            OwnerOnlyAccess.CreateFolder(Path.GetDirectoryName(fullPath)!);
            File.Delete(temporary);
            OwnerOnlyAccess.CreateEmptyFile(temporary);
            using (var file = new FileStream(temporary, FileMode.Truncate, FileAccess.Write, FileShare.None))
            {
                Write(file, document, new EntityProgress(progress, document, "written"));
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new GatewayException(GatewayErrorCode.StoreUnavailable, $"The configuration could not be written to '{fullPath}': {exception.Message}", fullPath, exception);
        }

        return document;
    }

    /// <summary>
    /// Reads the document at <paramref name="path"/> and makes it the store's configuration: without
    /// <paramref name="merge"/> it replaces everything; with it, gateways, pools, tenants and resources are added or
    /// updated by name and the rest is kept (see <see cref="Merge"/> for objects renamed since the export). Reading, checking and each entity written are reported to
    /// <paramref name="progress"/>. Returns the configuration now stored, with notes on what changed and what to act on.
    /// </summary>
    public static ConfigurationImport Import(IConfigurationStore store, string path, bool merge, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        progress?.Report(new WorkProgress { Status = $"Reading {Path.GetFileName(path)}", PercentComplete = 0 });
        var document = ReadDocument(path);
        progress?.Report(new WorkProgress
        {
            Status = string.Create(CultureInfo.InvariantCulture, $"Checking {EntityProgress.Count(document)} entities"),
            PercentComplete = 0,
        });
        var incoming = merge ? ConfigurationDocumentValidator.CheckRecords(document) : ConfigurationDocumentValidator.Check(document);
        ConfigurationDocument? before = null;
        var stored = store.ReplaceConfiguration(current =>
        {
            before = current;
            return merge ? Merge(current, incoming) : incoming;
        }, progress);
        return new ConfigurationImport(stored, ConfigurationReview.AfterImport(store, before!, stored));
    }

    /// <summary>Reads a configuration document; InvalidConfigurationDocument when the file is not one.</summary>
    public static ConfigurationDocument ReadDocument(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new GatewayException(GatewayErrorCode.NotFound, $"The configuration document '{fullPath}' could not be read: {exception.Message}", fullPath, exception);
        }

        return Deserialize(text, fullPath);
    }

    /// <summary>The document as indented JSON.</summary>
    public static string Serialize(ConfigurationDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var memory = new MemoryStream();
        Write(memory, document, new EntityProgress(null, document, "written"));
        return Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length);
    }

    // Entity by entity, so a large export reports as it goes and never holds the whole text in memory; the result is
    // what serializing the document at once would give.
    private static void Write(Stream stream, ConfigurationDocument document, EntityProgress progress)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = Options.Encoder });
        writer.WriteStartObject();
        writer.WriteNumber(PropertyName(nameof(ConfigurationDocument.FormatVersion)), document.FormatVersion);
        WriteList(writer, nameof(ConfigurationDocument.Gateways), document.Gateways, g => "gateway " + g.Name, progress);
        WriteList(writer, nameof(ConfigurationDocument.Pools), document.Pools, p => "pool " + p.Name, progress);
        WriteList(writer, nameof(ConfigurationDocument.Tenants), document.Tenants, t => "tenant " + t.Tenant.Name, progress);
        WriteList(writer, nameof(ConfigurationDocument.Resources), document.Resources, r => $"resource {r.Tenant}/{r.Name}", progress);
        writer.WriteEndObject();
    }

    private static void WriteList<T>(Utf8JsonWriter writer, string property, IReadOnlyList<T> items, Func<T, string> name, EntityProgress progress)
    {
        writer.WriteStartArray(PropertyName(property));
        foreach (var item in items)
        {
            JsonSerializer.Serialize(writer, item, Options);
            progress.Done(name(item));
        }

        writer.WriteEndArray();
    }

    private static string PropertyName(string property) => Options.PropertyNamingPolicy!.ConvertName(property);

    /// <summary>Parses a document; InvalidConfigurationDocument naming <paramref name="source"/> when the text is not one.</summary>
    public static ConfigurationDocument Deserialize(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<ConfigurationDocument>(json, Options)
                ?? throw new GatewayException(GatewayErrorCode.InvalidConfigurationDocument, $"'{source}' holds no configuration document.", source);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $" (line {line + 1}, {exception.Path})" : string.Empty;
            throw new GatewayException(GatewayErrorCode.InvalidConfigurationDocument, $"'{source}' is not a CloudGateway configuration document{where}: {exception.Message}", source, exception);
        }
    }

    /// <summary>
    /// The configuration after merging <paramref name="incoming"/> into <paramref name="current"/> by name: an
    /// incoming object replaces the current one of the same name (keeping the current id), a new one is added.
    /// An incoming object with the id of a current one under another name is refused (NameMismatch, naming both).
    /// </summary>
    public static ConfigurationDocument Merge(ConfigurationDocument current, ConfigurationDocument incoming)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(incoming);
        RefuseRenamed(current, incoming);
        var gateways = MergeByName(current.Gateways, incoming.Gateways, g => g.Name, g => g.Id, (g, id) => g with { Id = id });
        var pools = MergeByName(current.Pools, incoming.Pools, p => p.Name, p => p.Id, (p, id) => p with { Id = id });
        var tenants = MergeByName(current.Tenants, incoming.Tenants, t => t.Tenant.Name, t => t.Tenant.Id, (t, id) => t with { Tenant = t.Tenant with { Id = id } });
        var resources = MergeByName(current.Resources, incoming.Resources, r => $"{r.Tenant}/{r.Name}", r => r.Id, (r, id) => r with { Id = id });

        var incomingMembers = incoming.Pools.SelectMany(p => p.Members).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var incomingPools = incoming.Pools.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        pools = pools.Select(p => incomingPools.Contains(p.Name) ? p : p with { Members = p.Members.Where(m => !incomingMembers.Contains(m)).ToList() }).ToList();
        return new ConfigurationDocument { Gateways = gateways, Pools = pools, Tenants = tenants, Resources = resources };
    }

    // Such an object was renamed, in the store or in the document, since the export. Matched by name it would be copied
    // (a second tenant with the first one's password and resources); matched by id it would be renamed back, and a
    // tenant logs on with its name. Only the administrator knows which name is right.
    private static void RefuseRenamed(ConfigurationDocument current, ConfigurationDocument incoming)
    {
        var renamed = Renamed("gateway", current.Gateways, incoming.Gateways, g => g.Id, g => g.Name)
            .Concat(Renamed("gateway pool", current.Pools, incoming.Pools, p => p.Id, p => p.Name))
            .Concat(Renamed("tenant", current.Tenants, incoming.Tenants, t => t.Tenant.Id, t => t.Tenant.Name))
            .Concat(Renamed("resource", current.Resources, incoming.Resources, r => r.Id, r => r.Name))
            .ToList();
        if (renamed.Count == 0)
        {
            return;
        }

        throw new GatewayException(
            GatewayErrorCode.NameMismatch,
            $"The document holds objects the database holds under other names (the same ids): {string.Join("; ", renamed.Select(r => r.Message))}. " +
            "A merge neither copies nor renames them. Give them the stored names in the document, or rename the stored objects to the document's " +
            "(Set-CloudTenant -NewName, Set-CloudGateway -NewName, ...), and import again.",
            renamed[0].Name);
    }

    private static IEnumerable<(string Name, string Message)> Renamed<T>(string kind, IReadOnlyList<T> current, IReadOnlyList<T> incoming, Func<T, Guid> id, Func<T, string> name)
    {
        var stored = current.ToDictionary(id, name);
        return incoming
            .Where(item => stored.TryGetValue(id(item), out var storedName) && !string.Equals(storedName, name(item), StringComparison.OrdinalIgnoreCase))
            .Select(item => (name(item), $"{kind} '{name(item)}' is '{stored[id(item)]}' in the database"));
    }

    private static List<T> MergeByName<T>(IReadOnlyList<T> current, IReadOnlyList<T> incoming, Func<T, string> name, Func<T, Guid> id, Func<T, Guid, T> withId)
    {
        var merged = current.ToList();
        var usedIds = current.Select(id).ToHashSet();
        foreach (var item in incoming)
        {
            var index = merged.FindIndex(existing => string.Equals(name(existing), name(item), StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                merged[index] = withId(item, id(merged[index]));
            }
            else
            {
                merged.Add(usedIds.Add(id(item)) ? item : withId(item, Guid.NewGuid()));
            }
        }

        return merged;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(OmitDerivedGatewayProperties);
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = resolver,
        };
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    /// <summary>A gateway's pool is given by the pools' member lists and its listen port follows from its ports; neither is written.</summary>
    private static void OmitDerivedGatewayProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(Gateway))
        {
            return;
        }

        foreach (var property in typeInfo.Properties.Where(p => p.Name is "pool" or "listenPort").ToList())
        {
            typeInfo.Properties.Remove(property);
        }
    }
}
