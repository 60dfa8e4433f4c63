using System.Text.Json;

namespace CloudGateway.Networking.Appliance;

/// <summary>
/// One JSON state file per appliance (host or namespace) in a folder under /run by default: /run is cleared at
/// boot, exactly when bridges, rules and sysctls are gone too. Writes go to a temporary file that is renamed over
/// the old one, so a crash never leaves half a file.
/// </summary>
internal sealed class ApplianceStateStore(string directory)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public ApplianceState? Load(string? networkNamespace)
    {
        var path = PathOf(networkNamespace);
        return File.Exists(path) ? Read(path) : null;
    }

    public IReadOnlyList<ApplianceState> LoadAll()
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        try
        {
            return System.IO.Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(Read).ToList();
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new GatewayException(GatewayErrorCode.InsufficientPrivilege, $"The appliance state folder '{directory}' cannot be read; run as root.", directory, ex);
        }
    }

    public void Save(ApplianceState state)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = PathOf(state.Namespace);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state, Options));
        File.Move(temporary, path, overwrite: true);
    }

    public void Delete(string? networkNamespace) => File.Delete(PathOf(networkNamespace));

    /// <summary>Holds an exclusive lock on the appliance, so two Start or Stop calls do not interleave.</summary>
    public FileStream Lock(string? networkNamespace, TimeSpan timeout)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.ChangeExtension(PathOf(networkNamespace), ".lock");
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    // "netns-" keeps namespace files apart from "host"; the name check keeps every path inside the folder.
    private string PathOf(string? networkNamespace)
    {
        if (networkNamespace is not null && !ApplianceConfiguration.IsSafeName(networkNamespace, ApplianceConfiguration.MaxNamespaceNameLength))
        {
            GatewayException.ThrowIfInvalid("The network namespace name", networkNamespace,
                [new ValidationProblem("Namespace", $"'{networkNamespace}' is not a valid name: use letters, digits, '.', '_' or '-'.")]);
        }

        return Path.Combine(directory, networkNamespace is null ? "host.json" : "netns-" + networkNamespace + ".json");
    }

    private static ApplianceState Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ApplianceState>(File.ReadAllText(path), Options)
                ?? throw new JsonException("The file holds null.");
        }
        catch (JsonException ex)
        {
            throw new GatewayException(GatewayErrorCode.InvalidConfigurationDocument,
                $"The appliance state file '{path}' cannot be read: {ex.Message}", path, ex);
        }
    }
}
