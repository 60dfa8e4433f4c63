namespace CloudGateway.Tests;

/// <summary>
/// Under CI (CI=true) no test may be skipped because something it needs is missing (PostgreSQL, root, the native
/// engine): it runs and fails instead, so a green CI means the whole suite ran.
/// </summary>
internal static class CiRun
{
    /// <summary>Whether this is a CI run.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The reason to skip outside CI; null under CI, so the test runs and fails on what is missing.</summary>
    public static string? SkipUnlessCi(string? reason) => IsCi ? null : reason;
}
