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

    public string Directory => directory;

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

        return System.IO.Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(Read).ToList();
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

    // Namespace names were validated to letters, digits, '.', '_' and '-'; "netns-" keeps them apart from "host".
    private string PathOf(string? networkNamespace) =>
        Path.Combine(directory, networkNamespace is null ? "host.json" : "netns-" + networkNamespace + ".json");

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
