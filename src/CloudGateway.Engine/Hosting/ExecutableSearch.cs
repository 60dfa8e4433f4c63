namespace CloudGateway.Hosting;

/// <summary>Finds programs on PATH, as a shell would.</summary>
internal static class ExecutableSearch
{
    /// <summary>The full path of <paramref name="program"/> in the first PATH folder that holds it, or null.</summary>
    public static string? Find(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
    }
}
